package org.transfer4j.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Reads an image file into an 8-bit RGB {@link BufferedImage}. */
public final class ImageDecoder {

    private ImageDecoder() {
    }

    /**
     * Decodes a file by its content (not its extension).
     *
     * @throws IOException naming the file and what is wrong with it
     */
    public static BufferedImage decodeRgb(Path file) throws IOException {
        BufferedImage img = ImageIO.read(file.toFile());
        if (img == null) {
            throw new IOException(file + ": not an image in a known format");
        }
        if (img.getType() == BufferedImage.TYPE_INT_RGB) {
            return img;
        }
        BufferedImage rgb = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
        rgb.createGraphics().drawImage(img, 0, 0, java.awt.Color.WHITE, null);
        return rgb;
    }
}
