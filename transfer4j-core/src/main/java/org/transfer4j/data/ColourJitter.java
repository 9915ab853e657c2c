package org.transfer4j.data;

/**
 * torchvision's colour adjustments on packed RGB pixels ({@code 0xRRGGBB}), each blending with a
 * reference and clipping to [0, 255]: brightness with black, contrast with the image's mean grey,
 * saturation with each pixel's grey ({@code 0.299 R + 0.587 G + 0.114 B}).
 */
final class ColourJitter {

    private ColourJitter() {
    }

    /** Applies brightness, contrast and saturation factors (1 = unchanged) in that order, in place. */
    static void apply(int[] pixels, double brightness, double contrast, double saturation) {
        int n = pixels.length;
        float[][] rgb = new float[3][n];
        for (int i = 0; i < n; i++) {
            int p = pixels[i];
            rgb[0][i] = clip(((p >> 16) & 0xFF) * brightness);
            rgb[1][i] = clip(((p >> 8) & 0xFF) * brightness);
            rgb[2][i] = clip((p & 0xFF) * brightness);
        }
        double mean = 0;
        for (int i = 0; i < n; i++) {
            mean += grey(rgb, i);
        }
        mean /= Math.max(1, n);
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < n; i++) {
                rgb[c][i] = clip(contrast * rgb[c][i] + (1 - contrast) * mean);
            }
        }
        for (int i = 0; i < n; i++) {
            double g = grey(rgb, i);
            int r = Math.round(clip(saturation * rgb[0][i] + (1 - saturation) * g));
            int gr = Math.round(clip(saturation * rgb[1][i] + (1 - saturation) * g));
            int b = Math.round(clip(saturation * rgb[2][i] + (1 - saturation) * g));
            pixels[i] = r << 16 | gr << 8 | b;
        }
    }

    private static double grey(float[][] rgb, int i) {
        return 0.299 * rgb[0][i] + 0.587 * rgb[1][i] + 0.114 * rgb[2][i];
    }

    private static float clip(double v) {
        return (float) Math.min(255, Math.max(0, v));
    }
}
