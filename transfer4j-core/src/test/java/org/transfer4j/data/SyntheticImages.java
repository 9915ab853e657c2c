package org.transfer4j.data;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * A tiny synthetic image set for fast tests: one folder per class ({@code class0}, {@code class1},
 * ...), each image a JPEG of a coloured shape on a noisy background. Class {@code c} has its own
 * hue and shape (disc, square, triangle, cross, ring, bar), so a frozen backbone separates them
 * easily; position, size, background and noise vary with the seed.
 */
public final class SyntheticImages {

    private SyntheticImages() {
    }

    /** Writes {@code classes × perClass} images of {@code size × size} under {@code dir}; returns the files. */
    public static List<Path> write(Path dir, int classes, int perClass, int size, long seed) {
        Random random = new Random(seed);
        List<Path> files = new ArrayList<>();
        try {
            for (int c = 0; c < classes; c++) {
                Path classDir = Files.createDirectories(dir.resolve(className(c)));
                for (int i = 0; i < perClass; i++) {
                    Path file = classDir.resolve(String.format("img_%03d.jpg", i));
                    ImageIO.write(draw(c, classes, size, random), "jpg", file.toFile());
                    files.add(file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write synthetic images under " + dir, e);
        }
        return files;
    }

    /** The folder name of class {@code c}. */
    public static String className(int c) {
        return "class" + c;
    }

    /** One image of class {@code c}: a shape of the class's hue on a noisy grey background. */
    public static BufferedImage draw(int c, int classes, int size, Random random) {
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        int bg = 60 + random.nextInt(80);
        g.setColor(new Color(bg, bg, bg));
        g.fillRect(0, 0, size, size);
        g.setColor(Color.getHSBColor((float) c / classes, 0.9f, 0.95f));
        int s = size / 3 + random.nextInt(Math.max(1, size / 4));
        int x = random.nextInt(Math.max(1, size - s));
        int y = random.nextInt(Math.max(1, size - s));
        switch (c % 6) {
            case 0 -> g.fillOval(x, y, s, s);
            case 1 -> g.fillRect(x, y, s, s);
            case 2 -> g.fillPolygon(new int[] {x, x + s, x + s / 2}, new int[] {y + s, y + s, y}, 3);
            case 3 -> {
                g.fillRect(x + s / 3, y, s / 3, s);
                g.fillRect(x, y + s / 3, s, s / 3);
            }
            case 4 -> {
                g.setStroke(new BasicStroke(Math.max(2, s / 6f)));
                g.drawOval(x, y, s, s);
            }
            default -> g.fillRect(x, y + s / 3, s, s / 3);
        }
        g.dispose();
        for (int i = 0; i < size * size / 8; i++) {
            int px = random.nextInt(size);
            int py = random.nextInt(size);
            int rgb = img.getRGB(px, py);
            int n = random.nextInt(31) - 15;
            int r = clamp(((rgb >> 16) & 0xFF) + n);
            int gr = clamp(((rgb >> 8) & 0xFF) + n);
            int b = clamp((rgb & 0xFF) + n);
            img.setRGB(px, py, r << 16 | gr << 8 | b);
        }
        return img;
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}
