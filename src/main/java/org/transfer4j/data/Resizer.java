package org.transfer4j.data;

import java.awt.RenderingHints;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;

/** Resizing and centre cropping for {@link Preprocessing}. */
final class Resizer {

    private Resizer() {
    }

    static BufferedImage resizeAndCrop(BufferedImage src, Preprocessing p) {
        int w = src.getWidth();
        int h = src.getHeight();
        int nw;
        int nh;
        if (p.squash()) {
            nw = p.crop();
            nh = p.crop();
        } else if (w <= h) {
            nw = p.resize();
            nh = (int) ((long) p.resize() * h / w);
        } else {
            nh = p.resize();
            nw = (int) ((long) p.resize() * w / h);
        }
        BufferedImage resized = new BufferedImage(nw, nh, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = resized.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(src, 0, 0, nw, nh, null);
        g.dispose();
        int left = (int) Math.round((nw - p.crop()) / 2.0);
        int top = (int) Math.round((nh - p.crop()) / 2.0);
        return resized.getSubimage(left, top, p.crop(), p.crop());
    }
}
