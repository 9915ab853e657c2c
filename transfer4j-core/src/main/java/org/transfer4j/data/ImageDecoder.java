package org.transfer4j.data;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

    /** Formats whose readers are kept per thread between images (the common ones). */
    private static final Set<ImageFormat> REUSED = EnumSet.of(ImageFormat.JPEG, ImageFormat.PNG);

    /** Per thread, the reader of each format that is not in use. */
    private static final ThreadLocal<Map<ImageFormat, ImageReader>> IDLE_READERS =
            ThreadLocal.withInitial(() -> new EnumMap<>(ImageFormat.class));

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
        return decodeRgb(readAll(file), file.toString(), options);
    }

    private static byte[] readAll(Path file) throws IOException {
        try {
            return Files.readAllBytes(file);
        } catch (OutOfMemoryError e) {
            throw new IOException(file + ": file of " + Files.size(file) + " bytes is too large to read", e);
        }
    }

    /**
     * Decodes an image held in memory; {@code name} (usually the file path) starts every error
     * message.
     *
     * @throws IOException naming the image and what is wrong with it
     */
    public static BufferedImage decodeRgb(byte[] bytes, String name, DecodeOptions options) throws IOException {
        return decode(bytes, name, options, false);
    }

    /**
     * Decodes a file for {@link Preprocessing#apply}: as {@link #decodeRgb(Path, DecodeOptions)}, but an
     * upright JPEG comes back as the reader made it ({@code TYPE_3BYTE_BGR}), which preprocessing
     * reads without the copy into {@code TYPE_INT_RGB} (a tenth of the time of a small photo).
     *
     * @throws IOException naming the file and what is wrong with it
     */
    static BufferedImage decodeForPreprocessing(Path file, DecodeOptions options) throws IOException {
        return decodeForPreprocessing(readAll(file), file.toString(), options);
    }

    /**
     * Decodes an image held in memory for {@link Preprocessing#apply} (a server's request body), as
     * {@link #decodeForPreprocessing(Path, DecodeOptions)} does a file: upright, in RGB order to whoever
     * reads its pixels through {@link BufferedImage#getRGB}, but not always {@code TYPE_INT_RGB}.
     *
     * @throws IOException naming the image and what is wrong with it
     */
    public static BufferedImage decodeForPreprocessing(byte[] bytes, String name, DecodeOptions options)
            throws IOException {
        return decode(bytes, name, options, true);
    }

    private static BufferedImage decode(byte[] bytes, String name, DecodeOptions options, boolean keepBgr)
            throws IOException {
        String problem = ImageFormat.whyNotDecodable(bytes, Math.min(bytes.length, ImageFormat.HEADER_BYTES));
        if (problem != null) {
            throw new IOException(name + ": " + problem);
        }
        ImageFormat format = ImageFormat.sniff(bytes, Math.min(bytes.length, ImageFormat.HEADER_BYTES));
        BufferedImage decoded = read(bytes, name, format, options);
        int orientation = format == ImageFormat.JPEG ? ExifOrientation.read(bytes) : 1;
        if (keepBgr && orientation == 1 && RgbConversion.bgrBytes(decoded) != null) {
            return decoded;
        }
        return ExifOrientation.apply(RgbConversion.toIntRgb(decoded), orientation);
    }

    private static BufferedImage read(byte[] bytes, String name, ImageFormat format, DecodeOptions options)
            throws IOException {
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            ImageReader reader = takeReader(in, format);
            if (reader == null) {
                throw new IOException(name + ": no image reader for this " + format + " file");
            }
            boolean reusable = false;
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
                reusable = true;
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
                giveBack(reader, format, reusable);
            }
        }
    }

    /**
     * A reader for the format: this thread's idle one, or a new one from ImageIO. Making a reader for
     * every image (a service look-up, and native state for JPEG) cost about a fifth of a small JPEG's
     * decoding time.
     */
    private static ImageReader takeReader(ImageInputStream in, ImageFormat format) {
        if (REUSED.contains(format)) {
            ImageReader idle = IDLE_READERS.get().remove(format);
            if (idle != null) {
                return idle;
            }
        }
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        return readers.hasNext() ? readers.next() : null;
    }

    /** Keeps a reader that decoded cleanly for this thread's next image; disposes of any other. */
    private static void giveBack(ImageReader reader, ImageFormat format, boolean reusable) {
        if (reusable && REUSED.contains(format)) {
            reader.reset();
            if (IDLE_READERS.get().putIfAbsent(format, reader) == null) {
                return;
            }
        }
        reader.dispose();
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
