package org.transfer4j.report;

import java.awt.image.BufferedImage;

/**
 * A Grad-CAM heatmap at the feature map's resolution: non-negative values, row-major.
 *
 * @param height rows
 * @param width columns
 * @param values {@code height·width} values, not normalised
 */
public record Heatmap(int height, int width, float[] values) {

    public Heatmap {
        if (values.length != height * width) {
            throw new IllegalArgumentException(height + "x" + width + " heatmap with " + values.length + " values");
        }
        values = values.clone();
    }

    @Override
    public float[] values() {
        return values.clone();
    }

    /** The value at a row and column. */
    public float at(int row, int column) {
        return values[row * width + column];
    }

    /** The largest value (0 when the class score has no positive evidence anywhere). */
    public float max() {
        float m = 0;
        for (float v : values) {
            m = Math.max(m, v);
        }
        return m;
    }

    /**
     * The heatmap over an image: scaled to it bilinearly (cell centres aligned), normalised to its
     * maximum, coloured with a jet palette and blended with the image at 45 % opacity.
     */
    public BufferedImage overlay(BufferedImage image) {
        int iw = image.getWidth();
        int ih = image.getHeight();
        float max = max();
        BufferedImage out = new BufferedImage(iw, ih, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < ih; y++) {
            double fy = Math.max(0, Math.min(height - 1, (y + 0.5) * height / ih - 0.5));
            int y0 = (int) Math.floor(fy);
            int y1 = Math.min(height - 1, y0 + 1);
            double dy = fy - y0;
            for (int x = 0; x < iw; x++) {
                double fx = Math.max(0, Math.min(width - 1, (x + 0.5) * width / iw - 0.5));
                int x0 = (int) Math.floor(fx);
                int x1 = Math.min(width - 1, x0 + 1);
                double dx = fx - x0;
                double v = (at(y0, x0) * (1 - dx) + at(y0, x1) * dx) * (1 - dy)
                        + (at(y1, x0) * (1 - dx) + at(y1, x1) * dx) * dy;
                double t = max > 0 ? v / max : 0;
                int heat = jet(t);
                int p = image.getRGB(x, y);
                out.setRGB(x, y, blend(p, heat, 0.45));
            }
        }
        return out;
    }

    /** Blue (0) through cyan, yellow to red (1). */
    static int jet(double t) {
        double r = clamp(1.5 - Math.abs(4 * t - 3));
        double g = clamp(1.5 - Math.abs(4 * t - 2));
        double b = clamp(1.5 - Math.abs(4 * t - 1));
        return ((int) Math.round(r * 255) << 16) | ((int) Math.round(g * 255) << 8) | (int) Math.round(b * 255);
    }

    private static double clamp(double v) {
        return Math.max(0, Math.min(1, v));
    }

    private static int blend(int base, int over, double alpha) {
        int r = (int) Math.round(((base >> 16) & 0xFF) * (1 - alpha) + ((over >> 16) & 0xFF) * alpha);
        int g = (int) Math.round(((base >> 8) & 0xFF) * (1 - alpha) + ((over >> 8) & 0xFF) * alpha);
        int b = (int) Math.round((base & 0xFF) * (1 - alpha) + (over & 0xFF) * alpha);
        return (r << 16) | (g << 8) | b;
    }
}
