package org.transfer4j.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.transfer4j.data.DecodeOptions;
import org.transfer4j.data.ImageDecoder;
import org.transfer4j.data.Preprocessing;

/**
 * A PNG grid of captioned thumbnails: a query and its neighbours, or the images of one cluster.
 * Images that cannot be decoded get a grey cell with their caption.
 */
public final class ContactSheet {

    /**
     * One cell.
     *
     * @param file the image
     * @param caption up to two lines, split at '\n'
     */
    public record Tile(Path file, String caption) {
    }

    private static final int CELL = 160;
    private static final int TITLE = 34;

    private ContactSheet() {
    }

    /** Renders the tiles, {@code columns} per row, decoding the images on all cores. */
    public static byte[] png(List<Tile> tiles, int columns, PrintStream log) {
        List<BufferedImage> images = tiles.parallelStream().map(t -> decode(t.file(), log)).toList();
        int rows = Math.max(1, (tiles.size() + columns - 1) / columns);
        BufferedImage canvas = new BufferedImage(columns * CELL, rows * (CELL + TITLE), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, canvas.getWidth(), canvas.getHeight());
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int i = 0; i < tiles.size(); i++) {
            int x = (i % columns) * CELL;
            int y = (i / columns) * (CELL + TITLE);
            g.setColor(Color.DARK_GRAY);
            String[] lines = tiles.get(i).caption().split("\n", 2);
            for (int l = 0; l < lines.length; l++) {
                g.drawString(fit(lines[l], g.getFontMetrics(), CELL - 10), x + 5, y + 14 + 15 * l);
            }
            BufferedImage img = images.get(i);
            if (img == null) {
                g.setColor(Color.LIGHT_GRAY);
                g.fillRect(x + 4, y + TITLE + 4, CELL - 8, CELL - 8);
                continue;
            }
            BufferedImage small = Thumbnails.shrink(img, CELL - 8);
            g.drawImage(small, x + (CELL - small.getWidth()) / 2, y + TITLE + (CELL - small.getHeight()) / 2, null);
        }
        g.dispose();
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            ImageIO.write(canvas, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A thumbnail as a data: URI (for self-contained HTML pages), or null when the image cannot be read. */
    public static String thumbnailUri(Path file, int maxSide, PrintStream log) {
        BufferedImage img = decode(file, log);
        return img == null ? null : Thumbnails.jpegUri(img, maxSide);
    }

    private static BufferedImage decode(Path file, PrintStream log) {
        try {
            return ImageDecoder.decodeRgb(file, DecodeOptions.forPreprocessing(Preprocessing.imagenet()));
        } catch (IOException | RuntimeException e) {
            log.printf("contact sheet: cannot show %s (%s)%n", file, e.getMessage());
            return null;
        }
    }

    /** The text, cut in the middle with "…" until it is at most {@code width} pixels wide. */
    private static String fit(String s, FontMetrics metrics, int width) {
        if (metrics.stringWidth(s) <= width) {
            return s;
        }
        int keep = s.length();
        String cut = s;
        while (keep > 2 && metrics.stringWidth(cut) > width) {
            keep--;
            int head = keep / 2;
            cut = s.substring(0, head) + "…" + s.substring(s.length() - (keep - head));
        }
        return cut;
    }
}
