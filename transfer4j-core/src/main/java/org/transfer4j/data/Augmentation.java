package org.transfer4j.data;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.Locale;
import java.util.Random;

/**
 * Random augmentation of a training image, as named presets. One view is, in this order:
 * torchvision's {@code RandomResizedCrop(crop, scale, ratio)} (a random window of the source image
 * resized to crop × crop with the same antialiased bilinear filter as {@link Preprocessing}),
 * a horizontal flip with probability {@code flipProbability}, a rotation about the centre by a
 * uniform angle in ±{@code rotationDegrees} (Java2D bilinear, black corners, like
 * {@code RandomRotation}), then colour jitter (brightness, contrast, saturation factors uniform in
 * 1 ± the given amount, applied in that fixed order as torchvision's {@code ColorJitter} defines each),
 * and finally the backbone's normalisation. The output always has the size {@link Preprocessing}
 * produces, {@code 3 × crop × crop}; {@link #NONE} is plain preprocessing, bit for bit.
 *
 * <p>Augmentation applies to training images only; the test split is never augmented. Views are
 * reproducible: {@link #viewRandom} seeds a view from the run's seed, the image's content hash and the
 * view index.
 *
 * @param name the preset's name ({@code --augment} value)
 * @param scaleMin smallest share of the image area a crop covers
 * @param scaleMax largest share of the image area a crop covers
 * @param ratioMin smallest width / height of a crop
 * @param ratioMax largest width / height of a crop
 * @param flipProbability chance of a horizontal flip
 * @param rotationDegrees largest rotation either way
 * @param brightness brightness factor range 1 ± this
 * @param contrast contrast factor range 1 ± this
 * @param saturation saturation factor range 1 ± this
 */
public record Augmentation(String name, double scaleMin, double scaleMax, double ratioMin, double ratioMax,
                           double flipProbability, double rotationDegrees, double brightness, double contrast,
                           double saturation) {

    /** No augmentation: plain {@link Preprocessing}. */
    public static final Augmentation NONE = new Augmentation("none", 1, 1, 1, 1, 0, 0, 0, 0, 0);
    /** Crops of 70–100 % of the area, flips. */
    public static final Augmentation LIGHT = new Augmentation("light", 0.7, 1, 3.0 / 4, 4.0 / 3, 0.5, 0, 0, 0, 0);
    /** Crops of 35–100 %, flips, ±10° rotation, ±0.2 brightness, contrast and saturation. */
    public static final Augmentation STANDARD =
            new Augmentation("standard", 0.35, 1, 3.0 / 4, 4.0 / 3, 0.5, 10, 0.2, 0.2, 0.2);
    /** torchvision's ImageNet crops (8–100 %), flips, ±20° rotation, ±0.4 colour jitter. */
    public static final Augmentation STRONG =
            new Augmentation("strong", 0.08, 1, 3.0 / 4, 4.0 / 3, 0.5, 20, 0.4, 0.4, 0.4);

    public Augmentation {
        if (!(scaleMin > 0 && scaleMin <= scaleMax && scaleMax <= 1)) {
            throw new IllegalArgumentException("crop scale must satisfy 0 < min <= max <= 1, got " + scaleMin + ".." + scaleMax);
        }
        if (!(ratioMin > 0 && ratioMin <= ratioMax)) {
            throw new IllegalArgumentException("crop ratio must satisfy 0 < min <= max, got " + ratioMin + ".." + ratioMax);
        }
        if (!(flipProbability >= 0 && flipProbability <= 1) || rotationDegrees < 0 || brightness < 0
                || brightness > 1 || contrast < 0 || contrast > 1 || saturation < 0 || saturation > 1) {
            throw new IllegalArgumentException("flip probability must be in [0, 1], rotation >= 0 and jitter in [0, 1]");
        }
    }

    /** The preset of that name: none, light, standard or strong. */
    public static Augmentation preset(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "none" -> NONE;
            case "light" -> LIGHT;
            case "standard" -> STANDARD;
            case "strong" -> STRONG;
            default -> throw new IllegalArgumentException("--augment must be none, light, standard or strong, got '"
                    + name + "'");
        };
    }

    /** Whether this is {@link #NONE}. */
    @JsonIgnore
    public boolean isNone() {
        return this.equals(NONE);
    }

    /**
     * The generator of one view of one image: depends only on the seed, the image key (its content
     * hash) and the view index.
     */
    public static Random viewRandom(long seed, String imageKey, int view) {
        long h = 1_125_899_906_842_597L;
        for (int i = 0; i < imageKey.length(); i++) {
            h = 31 * h + imageKey.charAt(i);
        }
        return new Random(seed * 0x9E37_79B9_7F4A_7C15L ^ h * 1_000_003L ^ (view + 1L) * 0xC2B2_AE3D_27D4_EB4FL);
    }

    /** One augmented view, {@code 3 × crop × crop} floats in CHW order. */
    public float[] apply(BufferedImage rgb, Preprocessing pre, Random random) {
        float[] out = new float[pre.floatsPerImage()];
        apply(rgb, pre, random, out, 0);
        return out;
    }

    /** One augmented view written into {@code out} at {@code offset}, CHW order. */
    public void apply(BufferedImage rgb, Preprocessing pre, Random random, float[] out, int offset) {
        if (isNone()) {
            pre.apply(rgb, out, offset);
            return;
        }
        BufferedImage img = RgbConversion.toIntRgb(rgb);
        int w = img.getWidth();
        int h = img.getHeight();
        int[] window = cropWindow(w, h, random);
        int[] src = RgbConversion.pixels(img);
        int[] region = new int[window[2] * window[3]];
        for (int y = 0; y < window[3]; y++) {
            System.arraycopy(src, (window[1] + y) * w + window[0], region, y * window[2], window[2]);
        }
        int crop = pre.crop();
        // Squashing to crop × crop with a crop of the same size is a plain resize (PIL's filter).
        Preprocessing toCrop = new Preprocessing(crop, crop, true, pre.mean(), pre.std());
        int[] pixels = Resizer.resizeAndCrop(region, window[2], window[3], toCrop);
        if (random.nextDouble() < flipProbability) {
            flip(pixels, crop);
        }
        BufferedImage view = new BufferedImage(crop, crop, BufferedImage.TYPE_INT_RGB);
        view.setRGB(0, 0, crop, crop, pixels, 0, crop);
        double angle = (random.nextDouble() * 2 - 1) * rotationDegrees;
        if (angle != 0) {
            view = rotate(view, angle);
            pixels = view.getRGB(0, 0, crop, crop, null, 0, crop);
        }
        double b = factor(random, brightness);
        double c = factor(random, contrast);
        double s = factor(random, saturation);
        if (b != 1 || c != 1 || s != 1) {
            ColourJitter.apply(pixels, b, c, s);
            view.setRGB(0, 0, crop, crop, pixels, 0, crop);
        }
        toCrop.apply(view, out, offset);
    }

    /** torchvision's {@code RandomResizedCrop.get_params}: {x, y, width, height}. */
    int[] cropWindow(int w, int h, Random random) {
        double area = (double) w * h;
        double logMin = Math.log(ratioMin);
        double logMax = Math.log(ratioMax);
        for (int attempt = 0; attempt < 10; attempt++) {
            double target = area * (scaleMin + random.nextDouble() * (scaleMax - scaleMin));
            double aspect = Math.exp(logMin + random.nextDouble() * (logMax - logMin));
            int cw = (int) Math.round(Math.sqrt(target * aspect));
            int ch = (int) Math.round(Math.sqrt(target / aspect));
            if (cw > 0 && cw <= w && ch > 0 && ch <= h) {
                return new int[] {random.nextInt(w - cw + 1), random.nextInt(h - ch + 1), cw, ch};
            }
        }
        // Fallback: the largest centred window whose ratio is within range.
        double inRatio = (double) w / h;
        int cw = w;
        int ch = h;
        if (inRatio < ratioMin) {
            ch = Math.max(1, (int) Math.round(w / ratioMin));
        } else if (inRatio > ratioMax) {
            cw = Math.max(1, (int) Math.round(h * ratioMax));
        }
        return new int[] {(w - cw) / 2, (h - ch) / 2, cw, ch};
    }

    private static double factor(Random random, double amount) {
        double f = 1 + (random.nextDouble() * 2 - 1) * amount;
        return amount == 0 ? 1 : f;
    }

    private static void flip(int[] pixels, int side) {
        for (int y = 0; y < side; y++) {
            for (int l = y * side, r = l + side - 1; l < r; l++, r--) {
                int t = pixels[l];
                pixels[l] = pixels[r];
                pixels[r] = t;
            }
        }
    }

    private static BufferedImage rotate(BufferedImage img, double degrees) {
        BufferedImage out = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            // Counter-clockwise for positive angles, as torchvision; Java2D's y axis points down.
            g.rotate(Math.toRadians(-degrees), img.getWidth() / 2.0, img.getHeight() / 2.0);
            g.drawImage(img, 0, 0, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    @Override
    public String toString() {
        return name;
    }
}
