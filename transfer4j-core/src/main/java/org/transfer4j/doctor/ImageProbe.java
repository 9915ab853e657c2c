package org.transfer4j.doctor;

import com.drew.imaging.jpeg.JpegMetadataReader;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifIFD0Directory;
import com.drew.metadata.exif.ExifReader;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataFormatImpl;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.w3c.dom.Node;
import org.transfer4j.data.ContentHashes;
import org.transfer4j.data.DecodeOptions;
import org.transfer4j.data.ImageDecoder;
import org.transfer4j.data.ImageFormat;

/**
 * Looks at one image file: header facts (size, colour model, bit depth, frames, EXIF orientation)
 * through ImageIO's format-neutral metadata, then a real decode with {@link ImageDecoder} (the same
 * decoder training uses, so "readable" here means readable there) into a small perceptual hash.
 */
final class ImageProbe {

    /**
     * Only large images are decoded at reduced scale for hashing (shorter side kept at least twice
     * this): reduced-scale decoding samples every n-th pixel, and that aliasing moves hash bits.
     */
    private static final int HASH_SIDE = 256;

    private final DecodeOptions options;

    ImageProbe(long maxPixels) {
        this.options = DecodeOptions.defaults().withMaxPixels(maxPixels).withTargetShorterSide(HASH_SIDE);
    }

    ImageFacts probe(Path file, String relative, String split, String className) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException | OutOfMemoryError e) {
            return new ImageFacts(relative, split, className, 0, "UNKNOWN", false, 0, 0, "", false, 0, 0, 1, null,
                    null, "cannot be read (" + e + ")");
        }
        ImageFormat format = ImageFormat.sniff(bytes, Math.min(bytes.length, 16));
        boolean mismatch = extensionMismatch(relative, format);
        Header h = header(bytes);
        int orientation = format == ImageFormat.JPEG ? exifOrientation(bytes) : 1;
        String sha = ContentHashes.of(bytes);
        PerceptualHash hash = null;
        String problem = null;
        try {
            BufferedImage rgb = ImageDecoder.decodeRgb(bytes, relative, options);
            hash = PerceptualHash.of(rgb);
        } catch (IOException e) {
            String msg = String.valueOf(e.getMessage());
            problem = msg.startsWith(relative + ": ") ? msg.substring(relative.length() + 2) : msg;
        } catch (OutOfMemoryError e) {
            problem = "too large to decode in this heap (" + e.getMessage() + ")";
        }
        return new ImageFacts(relative, split, className, bytes.length, format.name(), mismatch, h.width, h.height,
                h.colour, h.alpha, h.bits, h.frames, orientation, sha, hash, problem);
    }

    private record Header(int width, int height, String colour, boolean alpha, int bits, int frames) {
        static final Header NONE = new Header(0, 0, "", false, 0, 0);
    }

    /** Size, colour and frames from the header; {@link Header#NONE} where no reader understands it. */
    private static Header header(byte[] bytes) {
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return Header.NONE;
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, false, false);
                int w = reader.getWidth(0);
                int h = reader.getHeight(0);
                String colour = "";
                boolean alpha = false;
                int bits = 0;
                try {
                    IIOMetadata meta = reader.getImageMetadata(0);
                    if (meta != null && meta.isStandardMetadataFormatSupported()) {
                        Node root = meta.getAsTree(IIOMetadataFormatImpl.standardMetadataFormatName);
                        colour = attribute(root, "Chroma", "ColorSpaceType", "name");
                        if (child(child(root, "Chroma"), "Palette") != null) {
                            colour = "PALETTE";
                        }
                        String a = attribute(root, "Transparency", "Alpha", "value");
                        alpha = !a.isEmpty() && !a.equals("none")
                                || child(child(root, "Transparency"), "TransparentIndex") != null;
                        String b = attribute(root, "Data", "BitsPerSample", "value").trim();
                        bits = b.isEmpty() ? 0 : Integer.parseInt(b.split("\\s+")[0]);
                    }
                } catch (IOException | RuntimeException e) {
                    // Header facts are a courtesy; the decode below decides readability.
                }
                int frames = 1;
                if (reader.getFormatName().toLowerCase(Locale.ROOT).contains("gif")) {
                    try {
                        frames = reader.getNumImages(true);
                    } catch (IOException | RuntimeException e) {
                        frames = 1;
                    }
                }
                return new Header(w, h, colour, alpha, bits, frames);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            return Header.NONE;
        }
    }

    private static String attribute(Node root, String parent, String name, String attr) {
        Node n = child(child(root, parent), name);
        if (n == null || n.getAttributes() == null || n.getAttributes().getNamedItem(attr) == null) {
            return "";
        }
        return n.getAttributes().getNamedItem(attr).getNodeValue();
    }

    private static Node child(Node parent, String name) {
        if (parent == null) {
            return null;
        }
        for (Node c = parent.getFirstChild(); c != null; c = c.getNextSibling()) {
            if (c.getNodeName().equals(name)) {
                return c;
            }
        }
        return null;
    }

    private static int exifOrientation(byte[] jpeg) {
        try {
            Metadata metadata = JpegMetadataReader.readMetadata(new ByteArrayInputStream(jpeg), List.of(new ExifReader()));
            ExifIFD0Directory dir = metadata.getFirstDirectoryOfType(ExifIFD0Directory.class);
            if (dir == null || !dir.containsTag(ExifIFD0Directory.TAG_ORIENTATION)) {
                return 1;
            }
            int o = dir.getInt(ExifIFD0Directory.TAG_ORIENTATION);
            return o >= 1 && o <= 8 ? o : 1;
        } catch (Exception | StackOverflowError e) {
            return 1;
        }
    }

    private static boolean extensionMismatch(String name, ImageFormat format) {
        int dot = name.lastIndexOf('.');
        if (dot < 0 || format == ImageFormat.UNKNOWN) {
            return false;
        }
        String ext = name.substring(dot + 1).toLowerCase(Locale.ROOT);
        List<String> expected = switch (format) {
            case JPEG -> List.of("jpg", "jpeg", "jpe", "jfif");
            case PNG -> List.of("png");
            case GIF -> List.of("gif");
            case BMP -> List.of("bmp", "dib");
            case WEBP -> List.of("webp");
            case TIFF -> List.of("tif", "tiff");
            case HEIF -> List.of("heic", "heif", "avif");
            default -> List.of();
        };
        return !expected.contains(ext);
    }
}
