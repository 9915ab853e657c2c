package org.transfer4j.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Image formats recognised by their first bytes ("magic numbers"), never by the file name: real
 * folders hold PNGs named {@code .jpg}, GIFs named {@code .jpeg} and text files named {@code .png}.
 */
public enum ImageFormat {
    JPEG(true),
    PNG(true),
    GIF(true),
    BMP(true),
    /** Recognised so that the reason for skipping can name it; not decoded. */
    WEBP(false),
    /** Recognised so that the reason for skipping can name it; not decoded. */
    TIFF(false),
    /** HEIC/HEIF/AVIF; recognised so that the reason for skipping can name it; not decoded. */
    HEIF(false),
    /** No known image signature. */
    UNKNOWN(false);

    /** How many leading bytes {@link #sniff(byte[], int)} looks at. */
    static final int HEADER_BYTES = 16;

    private final boolean decodable;

    ImageFormat(boolean decodable) {
        this.decodable = decodable;
    }

    /** Whether {@link ImageDecoder} can decode this format. */
    public boolean decodable() {
        return decodable;
    }

    /** Identifies the format of the first {@code length} bytes of a file. */
    public static ImageFormat sniff(byte[] head, int length) {
        if (length >= 3 && u(head[0]) == 0xFF && u(head[1]) == 0xD8 && u(head[2]) == 0xFF) {
            return JPEG;
        }
        if (length >= 8 && u(head[0]) == 0x89 && head[1] == 'P' && head[2] == 'N' && head[3] == 'G'
                && head[4] == 0x0D && head[5] == 0x0A && head[6] == 0x1A && head[7] == 0x0A) {
            return PNG;
        }
        if (length >= 6 && head[0] == 'G' && head[1] == 'I' && head[2] == 'F' && head[3] == '8'
                && (head[4] == '7' || head[4] == '9') && head[5] == 'a') {
            return GIF;
        }
        if (length >= 14 && head[0] == 'B' && head[1] == 'M') {
            return BMP;
        }
        if (length >= 12 && head[0] == 'R' && head[1] == 'I' && head[2] == 'F' && head[3] == 'F'
                && head[8] == 'W' && head[9] == 'E' && head[10] == 'B' && head[11] == 'P') {
            return WEBP;
        }
        if (length >= 4 && ((head[0] == 'I' && head[1] == 'I' && head[2] == 42 && head[3] == 0)
                || (head[0] == 'M' && head[1] == 'M' && head[2] == 0 && head[3] == 42))) {
            return TIFF;
        }
        if (length >= 12 && head[4] == 'f' && head[5] == 't' && head[6] == 'y' && head[7] == 'p') {
            String brand = new String(head, 8, 4, java.nio.charset.StandardCharsets.US_ASCII);
            if (brand.startsWith("hei") || brand.startsWith("hev") || brand.startsWith("mif")
                    || brand.startsWith("avi") || brand.startsWith("msf")) {
                return HEIF;
            }
        }
        return UNKNOWN;
    }

    /** Reads the first bytes of a file and identifies its format. */
    public static ImageFormat sniff(Path file) throws IOException {
        byte[] head = new byte[HEADER_BYTES];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        }
        return sniff(head, n);
    }

    /**
     * Why a file whose first bytes are {@code head} is not decodable, in words; {@code null} when it
     * is a decodable image.
     */
    static String whyNotDecodable(byte[] head, int length) {
        if (length == 0) {
            return "empty file (0 bytes)";
        }
        ImageFormat format = sniff(head, length);
        if (format.decodable) {
            return null;
        }
        if (format != UNKNOWN) {
            return format + " images are not supported; convert it to JPEG or PNG";
        }
        return "not an image (" + describe(head, length) + "); JPEG, PNG, GIF and BMP are read";
    }

    private static String describe(byte[] head, int length) {
        boolean text = true;
        for (int i = 0; i < length; i++) {
            int b = u(head[i]);
            if (b < 0x09 || (b > 0x0D && b < 0x20 && b != 0x1B) || b == 0x7F) {
                text = false;
                break;
            }
        }
        if (text) {
            return "starts with text";
        }
        StringBuilder hex = new StringBuilder("starts with bytes");
        for (int i = 0; i < Math.min(length, 8); i++) {
            hex.append(String.format(" %02X", u(head[i])));
        }
        return hex.toString();
    }

    private static int u(byte b) {
        return b & 0xFF;
    }
}
