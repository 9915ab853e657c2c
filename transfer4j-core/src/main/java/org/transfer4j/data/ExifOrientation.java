package org.transfer4j.data;

import com.drew.imaging.jpeg.JpegMetadataReader;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifIFD0Directory;
import com.drew.metadata.exif.ExifReader;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.ByteArrayInputStream;
import java.util.List;

/**
 * The EXIF orientation tag of a JPEG (1 = upright ... 8), and turning pixels upright. Cameras store
 * the sensor's pixels and record the rotation in this tag; viewers apply it, so users expect it.
 */
final class ExifOrientation {

    private ExifOrientation() {
    }

    /** The orientation tag of a JPEG's EXIF block; 1 when absent or unreadable. */
    static int read(byte[] jpeg) {
        try {
            Metadata metadata = JpegMetadataReader.readMetadata(new ByteArrayInputStream(jpeg), List.of(new ExifReader()));
            ExifIFD0Directory dir = metadata.getFirstDirectoryOfType(ExifIFD0Directory.class);
            if (dir == null || !dir.containsTag(ExifIFD0Directory.TAG_ORIENTATION)) {
                return 1;
            }
            int orientation = dir.getInt(ExifIFD0Directory.TAG_ORIENTATION);
            return orientation >= 1 && orientation <= 8 ? orientation : 1;
        } catch (Exception | StackOverflowError e) {
            // A broken EXIF block does not make the pixels unusable; viewers ignore it too.
            return 1;
        }
    }

    /**
     * Returns the image as it should be displayed for the given orientation; {@code rgb} must be a
     * {@code TYPE_INT_RGB} image as made by {@link RgbConversion}.
     */
    static BufferedImage apply(BufferedImage rgb, int orientation) {
        if (orientation == 1) {
            return rgb;
        }
        int w = rgb.getWidth();
        int h = rgb.getHeight();
        int[] src = RgbConversion.pixels(rgb);
        boolean swap = orientation >= 5;
        int dw = swap ? h : w;
        int dh = swap ? w : h;
        BufferedImage out = new BufferedImage(dw, dh, BufferedImage.TYPE_INT_RGB);
        int[] dst = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
        for (int y = 0; y < dh; y++) {
            for (int x = 0; x < dw; x++) {
                int sx;
                int sy;
                switch (orientation) {
                    case 2 -> { sx = w - 1 - x; sy = y; }
                    case 3 -> { sx = w - 1 - x; sy = h - 1 - y; }
                    case 4 -> { sx = x; sy = h - 1 - y; }
                    case 5 -> { sx = y; sy = x; }
                    case 6 -> { sx = y; sy = h - 1 - x; }
                    case 7 -> { sx = w - 1 - y; sy = h - 1 - x; }
                    case 8 -> { sx = w - 1 - y; sy = x; }
                    default -> throw new IllegalArgumentException("EXIF orientation must be 1..8, got " + orientation);
                }
                dst[y * dw + x] = src[sy * w + sx];
            }
        }
        return out;
    }
}
