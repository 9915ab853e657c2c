package org.transfer4j.data;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.DirectColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.SinglePixelPackedSampleModel;

/**
 * Any decoded {@link BufferedImage} to 8-bit RGB ({@code TYPE_INT_RGB}) the way PIL's
 * {@code convert("RGB")} does it, which is what torchvision's image loader calls:
 *
 * <ul>
 *   <li>alpha is dropped, not composited: a transparent pixel keeps the colour stored under it
 *       (matching torchvision keeps features identical to those a PyTorch user gets);
 *   <li>grey is copied to the three channels as stored, without the gamma conversion that
 *       {@code BufferedImage.getRGB} applies to Java's linear grey colour space;
 *   <li>16-bit samples keep their high byte (PIL's rule for 16-bit RGB PNGs);
 *   <li>embedded RGB colour profiles are ignored, as PIL ignores them; palettes use their colours.
 * </ul>
 *
 * Other colour spaces (CMYK, YCCK, which the JPEG reader usually converts itself) go through Java's
 * colour management.
 */
final class RgbConversion {

    private RgbConversion() {
    }

    /** The image as {@code TYPE_INT_RGB}; the same object when it already is one. */
    static BufferedImage toIntRgb(BufferedImage img) {
        if (img.getType() == BufferedImage.TYPE_INT_RGB) {
            return img;
        }
        int w = img.getWidth();
        int h = img.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] dst = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
        byte[] src = bgrBytes(img);
        if (src != null) {
            for (int i = 0, j = 0; i < dst.length; i++, j += 3) {
                dst[i] = (src[j + 2] & 0xFF) << 16 | (src[j + 1] & 0xFF) << 8 | (src[j] & 0xFF);
            }
            return out;
        }
        ColorModel cm = img.getColorModel();
        int csType = cm.getColorSpace().getType();
        boolean plainComponents = cm instanceof ComponentColorModel || cm instanceof DirectColorModel;
        if (plainComponents && (csType == ColorSpace.TYPE_RGB || csType == ColorSpace.TYPE_GRAY)) {
            copyBands(img, cm, csType == ColorSpace.TYPE_GRAY, dst);
        } else {
            // Palettes (exact: getRGB looks up the palette) and other colour spaces (colour-managed).
            img.getRGB(0, 0, w, h, dst, 0, w);
            for (int i = 0; i < dst.length; i++) {
                dst[i] &= 0xFFFFFF;
            }
        }
        return out;
    }

    /**
     * The interleaved {@code B, G, R} bytes of a {@code TYPE_3BYTE_BGR} image whose raster is its
     * whole buffer (what the JPEG reader returns), without copying; null for any other image.
     */
    static byte[] bgrBytes(BufferedImage img) {
        if (img.getType() == BufferedImage.TYPE_3BYTE_BGR && isWholeBuffer(img.getRaster())) {
            return ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        }
        return null;
    }

    /** The pixels of a {@code TYPE_INT_RGB} image, without copying when the raster allows it. */
    static int[] pixels(BufferedImage intRgb) {
        if (intRgb.getType() != BufferedImage.TYPE_INT_RGB) {
            throw new IllegalArgumentException("expected TYPE_INT_RGB, got type " + intRgb.getType());
        }
        Raster r = intRgb.getRaster();
        if (isWholeBuffer(r)) {
            return ((DataBufferInt) r.getDataBuffer()).getData();
        }
        return intRgb.getRGB(0, 0, intRgb.getWidth(), intRgb.getHeight(), null, 0, intRgb.getWidth());
    }

    private static boolean isWholeBuffer(Raster r) {
        int stride;
        if (r.getSampleModel() instanceof SinglePixelPackedSampleModel sm) {
            stride = sm.getScanlineStride();
        } else if (r.getSampleModel() instanceof java.awt.image.PixelInterleavedSampleModel sm) {
            stride = sm.getScanlineStride() / sm.getPixelStride();
        } else {
            return false;
        }
        return r.getSampleModelTranslateX() == 0 && r.getSampleModelTranslateY() == 0 && r.getMinX() == 0
                && r.getMinY() == 0 && stride == r.getWidth() && r.getDataBuffer().getNumBanks() == 1
                && r.getDataBuffer().getOffset() == 0;
    }

    private static void copyBands(BufferedImage img, ColorModel cm, boolean grey, int[] dst) {
        Raster r = img.getRaster();
        int w = img.getWidth();
        int h = img.getHeight();
        int bands = r.getNumBands();
        int[] bits = new int[3];
        for (int c = 0; c < 3; c++) {
            bits[c] = cm.getComponentSize(grey ? 0 : c);
        }
        int[] row = new int[w * bands];
        for (int y = 0; y < h; y++) {
            r.getPixels(r.getMinX(), r.getMinY() + y, w, 1, row);
            for (int x = 0; x < w; x++) {
                int base = x * bands;
                int red = to8(row[base], bits[0]);
                int green = grey ? red : to8(row[base + 1], bits[1]);
                int blue = grey ? red : to8(row[base + 2], bits[2]);
                dst[y * w + x] = red << 16 | green << 8 | blue;
            }
        }
    }

    private static int to8(int v, int bits) {
        if (bits == 8) {
            return v;
        }
        if (bits == 16) {
            return v >>> 8;
        }
        if (bits > 8) {
            return v >>> (bits - 8);
        }
        return (int) Math.round(v * 255.0 / ((1 << bits) - 1));
    }
}
