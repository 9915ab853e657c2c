package org.transfer4j.data;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/** Byte-level makers of awkward image files for the decoder's hardening tests. */
public final class CraftedFiles {

    private CraftedFiles() {
    }

    /** An image encoded by ImageIO in the given format ("jpg", "png", "gif", "bmp"). */
    public static byte[] encode(BufferedImage img, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(img, format, out)) {
            throw new IOException("no ImageIO writer for " + format + " and image type " + img.getType());
        }
        return out.toByteArray();
    }

    /** A {@code w × h} RGB image whose four quadrants have the given colours (TL, TR, BL, BR). */
    public static BufferedImage quadrants(int w, int h, int tl, int tr, int bl, int br) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean right = x >= w / 2;
                boolean bottom = y >= h / 2;
                img.setRGB(x, y, bottom ? (right ? br : bl) : (right ? tr : tl));
            }
        }
        return img;
    }

    /** Inserts a JPEG marker segment right after SOI. */
    public static byte[] insertSegment(byte[] jpeg, int marker, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(jpeg.length + 4 + payload.length);
        b.put(jpeg, 0, 2);
        b.put((byte) 0xFF).put((byte) marker).putShort((short) (payload.length + 2)).put(payload);
        b.put(jpeg, 2, jpeg.length - 2);
        return b.array();
    }

    /** An APP1 EXIF payload holding only the orientation tag (big-endian TIFF). */
    public static byte[] exifOrientation(int orientation) {
        ByteBuffer b = ByteBuffer.allocate(6 + 8 + 2 + 12 + 4);
        b.put("Exif\0\0".getBytes(StandardCharsets.US_ASCII));
        b.put((byte) 'M').put((byte) 'M').putShort((short) 42).putInt(8);
        b.putShort((short) 1);
        b.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
        b.putInt(0);
        return b.array();
    }

    /** A JPEG with the given quadrant colours and EXIF orientation. */
    public static byte[] rotatedJpeg(int orientation, int w, int h, int tl, int tr, int bl, int br) throws IOException {
        return insertSegment(encode(quadrants(w, h, tl, tr, bl, br), "jpg"), 0xE1, exifOrientation(orientation));
    }

    /**
     * A CMYK JPEG in Photoshop's convention (Adobe APP14 marker, inverted samples) filled with the
     * given ink amounts (0..255).
     */
    public static byte[] cmykJpeg(int w, int h, int c, int m, int y, int k) throws IOException {
        WritableRaster r = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, w, h, 4, null);
        int[] inverted = {255 - c, 255 - m, 255 - y, 255 - k};
        for (int py = 0; py < h; py++) {
            for (int px = 0; px < w; px++) {
                r.setPixel(px, py, inverted);
            }
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(r, null, null), null);
        } finally {
            writer.dispose();
        }
        ByteBuffer adobe = ByteBuffer.allocate(12);
        adobe.put("Adobe".getBytes(StandardCharsets.US_ASCII)).putShort((short) 100).putShort((short) 0)
                .putShort((short) 0).put((byte) 0);
        return insertSegment(bytes.toByteArray(), 0xEE, adobe.array());
    }

    /** A grey JPEG carrying an embedded grey ICC profile (APP2 ICC_PROFILE). */
    public static byte[] greyJpegWithIcc(int w, int h, int grey) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster r = img.getRaster();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                r.setSample(x, y, 0, grey);
            }
        }
        byte[] profile = ICC_Profile.getInstance(ColorSpace.CS_GRAY).getData();
        ByteBuffer app2 = ByteBuffer.allocate(14 + profile.length);
        app2.put("ICC_PROFILE\0".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 1).put(profile);
        return insertSegment(encode(img, "jpg"), 0xE2, app2.array());
    }

    /** A 16-bit RGB PNG filled with one colour given as 16-bit samples. */
    public static byte[] png16(int w, int h, int r16, int g16, int b16) throws IOException {
        ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), false, false,
                java.awt.Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
        WritableRaster raster = cm.createCompatibleWritableRaster(w, h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                raster.setPixel(x, y, new int[] {r16, g16, b16});
            }
        }
        return encode(new BufferedImage(cm, raster, false, null), "png");
    }

    /** A 16-bit grey PNG filled with one value. */
    public static byte[] png16Grey(int w, int h, int v16) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_USHORT_GRAY);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.getRaster().setSample(x, y, 0, v16);
            }
        }
        return encode(img, "png");
    }

    /**
     * A palette PNG (tRNS chunk): left half palette entry 0 (fully transparent, stored colour
     * {@code hiddenRgb}), right half entry 1 (opaque {@code visibleRgb}).
     */
    public static byte[] palettePngWithTransparency(int w, int h, int hiddenRgb, int visibleRgb) throws IOException {
        byte[] reds = {(byte) (hiddenRgb >> 16), (byte) (visibleRgb >> 16)};
        byte[] greens = {(byte) (hiddenRgb >> 8), (byte) (visibleRgb >> 8)};
        byte[] blues = {(byte) hiddenRgb, (byte) visibleRgb};
        byte[] alphas = {0, (byte) 255};
        IndexColorModel cm = new IndexColorModel(8, 2, reds, greens, blues, alphas);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_INDEXED, cm);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.getRaster().setSample(x, y, 0, x < w / 2 ? 0 : 1);
            }
        }
        return encode(img, "png");
    }

    /** A valid-looking PNG header (signature, IHDR with a correct CRC, IEND) claiming any size. */
    public static byte[] pngHeaderClaiming(int width, int height) {
        ByteBuffer b = ByteBuffer.allocate(8 + 25 + 12);
        b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
        ByteBuffer ihdr = ByteBuffer.allocate(17);
        ihdr.put("IHDR".getBytes(StandardCharsets.US_ASCII)).putInt(width).putInt(height)
                .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        b.putInt(13).put(ihdr.array()).putInt(crc(ihdr.array()));
        byte[] iend = "IEND".getBytes(StandardCharsets.US_ASCII);
        b.putInt(0).put(iend).putInt(crc(iend));
        return b.array();
    }

    private static int crc(byte[] data) {
        CRC32 crc = new CRC32();
        crc.update(data);
        return (int) crc.getValue();
    }
}
