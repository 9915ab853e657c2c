package org.transfer4j.data;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Reads an image file into an 8-bit RGB {@link BufferedImage} ({@code TYPE_INT_RGB}).
 *
 * <p>The format comes from the file's first bytes, not its name. JPEG (also CMYK, YCCK and grey
 * with ICC profiles, through TwelveMonkeys), PNG (8/16-bit, grey, palette, alpha), GIF (first
 * frame) and BMP are read. Alpha is dropped as torchvision's loader (PIL {@code convert("RGB")})
 * drops it; see {@link RgbConversion}. The pixel count is checked from the header before decoding,
 * and large images can be decoded at reduced scale ({@link DecodeOptions}).
 *
 * <p>Where this differs from torchvision's loader, on purpose: JPEGs are turned upright by their
 * EXIF orientation (PIL leaves them as stored); CMYK/YCCK JPEGs are colour-converted by TwelveMonkeys
 * (PIL uses a naive formula); GIFs are read (torchvision's {@code ImageFolder} skips them by
 * extension); truncated JPEGs are refused as PIL refuses them by default. For ordinary RGB and
 * grey JPEGs and PNGs the decoded pixels are identical to PIL's (measured on real photos).
 *
 * <p>Every failure is an {@link IOException} whose message starts with the file and says what is
 * wrong: empty, not an image, unsupported format, too many pixels, truncated or corrupt.
 */
public final class ImageDecoder {

    static {
        // Streams over byte arrays need no disk cache; the default cache makes ImageIO slow.
        ImageIO.setUseCache(false);
    }

    private ImageDecoder() {
    }

    /**
     * Decodes a file by its content (not its extension), at full resolution with the default pixel
     * limit.
     *
     * @throws IOException naming the file and what is wrong with it
     */
    public static BufferedImage decodeRgb(Path file) throws IOException {
        return decodeRgb(file, DecodeOptions.defaults());
    }

    /**
     * Decodes a file by its content with the given limit and target size.
     *
     * @throws IOException naming the file and what is wrong with it
     */
    public static BufferedImage decodeRgb(Path file, DecodeOptions options) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (OutOfMemoryError e) {
            throw new IOException(file + ": file of " + Files.size(file) + " bytes is too large to read", e);
        }
        return decodeRgb(bytes, file.toString(), options);
    }

    /**
     * Decodes an image held in memory; {@code name} (usually the file path) starts every error
     * message.
     *
     * @throws IOException naming the image and what is wrong with it
     */
    public static BufferedImage decodeRgb(byte[] bytes, String name, DecodeOptions options) throws IOException {
        String problem = ImageFormat.whyNotDecodable(bytes, Math.min(bytes.length, ImageFormat.HEADER_BYTES));
        if (problem != null) {
            throw new IOException(name + ": " + problem);
        }
        ImageFormat format = ImageFormat.sniff(bytes, Math.min(bytes.length, ImageFormat.HEADER_BYTES));
        BufferedImage decoded = read(bytes, name, format, options);
        BufferedImage rgb = RgbConversion.toIntRgb(decoded);
        if (format == ImageFormat.JPEG) {
            rgb = ExifOrientation.apply(rgb, ExifOrientation.read(bytes));
        }
        return rgb;
    }

    private static BufferedImage read(byte[] bytes, String name, ImageFormat format, DecodeOptions options)
            throws IOException {
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new IOException(name + ": no image reader for this " + format + " file");
            }
            ImageReader reader = readers.next();
            List<String> warnings = new ArrayList<>();
            try {
                reader.setInput(in, true, true);
                reader.addIIOReadWarningListener(collectInto(warnings));
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                long pixels = (long) width * height;
                if (pixels > options.maxPixels() || width <= 0 || height <= 0) {
                    throw new IOException(String.format("%s: %s of %dx%d = %,d pixels is more than the limit of %,d "
                            + "(a decompression bomb or a huge scan); shrink the image, or raise "
                            + "DecodeOptions.maxPixels if it is genuine", name, format, width, height, pixels,
                            options.maxPixels()));
                }
                ImageReadParam param = reader.getDefaultReadParam();
                int step = options.subsampling(width, height);
                if (step > 1) {
                    param.setSourceSubsampling(step, step, 0, 0);
                }
                BufferedImage img = reader.read(0, param);
                String truncation = truncation(warnings);
                if (truncation != null) {
                    throw new IOException(name + ": truncated " + format + " (" + truncation
                            + "); the file was cut short, re-download or re-export it");
                }
                return img;
            } catch (IOException e) {
                if (e.getMessage() != null && e.getMessage().startsWith(name + ": ")) {
                    throw e;
                }
                throw corrupt(name, format, e);
            } catch (RuntimeException e) {
                // Readers throw IndexOutOfBounds, IllegalArgument, ... on malformed data.
                throw corrupt(name, format, e);
            } finally {
                reader.dispose();
            }
        }
    }

    private static IOException corrupt(String name, ImageFormat format, Exception cause) {
        String detail = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
        Throwable root = cause.getCause();
        if (root != null && root.getMessage() != null && !detail.contains(root.getMessage())) {
            detail += ": " + root.getMessage();
        }
        if (cause instanceof java.io.EOFException || root instanceof java.io.EOFException) {
            detail = "unexpected end of file, it is truncated";
        }
        return new IOException(name + ": corrupt or truncated " + format + " (" + detail + ")", cause);
    }

    private static String truncation(List<String> warnings) {
        for (String w : warnings) {
            String lower = w.toLowerCase(java.util.Locale.ROOT);
            if (lower.contains("premature end") || lower.contains("truncated") || lower.contains("end of file")) {
                return w;
            }
        }
        return null;
    }

    private static IIOReadWarningListener collectInto(List<String> warnings) {
        return (source, warning) -> warnings.add(warning);
    }
}
