package org.transfer4j.data;

import java.awt.image.BufferedImage;
import java.util.Arrays;

/**
 * How a backbone wants its images: resize, crop and normalise, as the weights were trained. Callers
 * take this from the weight set and never retype mean and std.
 *
 * <p>The result equals torchvision's {@code Resize(resize)}, {@code CenterCrop(crop)},
 * {@code ToTensor()}, {@code Normalize(mean, std)} on a PIL image, pixel for pixel (see
 * {@link Resizer}); with {@code squash}, {@code Resize((resize, resize))} replaces the shorter-side
 * resize.
 *
 * @param resize shorter side after resizing (torchvision's {@code Resize(256)}); with {@code squash}
 *     both sides
 * @param crop side of the centre crop fed to the network
 * @param squash resize both sides to {@code resize} without keeping the aspect ratio (TensorFlow)
 * @param mean per-channel mean subtracted after scaling to [0, 1]
 * @param std per-channel standard deviation divided by
 */
public record Preprocessing(int resize, int crop, boolean squash, float[] mean, float[] std) {

    public Preprocessing {
        if (resize <= 0 || crop <= 0) {
            throw new IllegalArgumentException("resize and crop must be positive, got resize=" + resize + " crop=" + crop);
        }
        if (mean == null || std == null || mean.length != 3 || std.length != 3) {
            throw new IllegalArgumentException("mean and std need 3 values (R, G, B), got "
                    + Arrays.toString(mean) + " and " + Arrays.toString(std));
        }
        for (float s : std) {
            if (!(s > 0)) {
                throw new IllegalArgumentException("std must be positive, got " + Arrays.toString(std));
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    /** torchvision's ImageNet recipe: Resize(256), CenterCrop(224), ImageNet mean and std. */
    public static Preprocessing imagenet() {
        return new Preprocessing(256, 224, false, new float[] {0.485f, 0.456f, 0.406f},
                new float[] {0.229f, 0.224f, 0.225f});
    }

    /** TensorFlow's MobileNet recipe: resize to size×size, scale to [-1, 1]. */
    public static Preprocessing tensorflow(int size) {
        return new Preprocessing(size, size, true, new float[] {0.5f, 0.5f, 0.5f},
                new float[] {0.5f, 0.5f, 0.5f});
    }

    /**
     * TensorFlow's evaluation recipe for ImageNet models (TF-slim's central crop of 87.5 %): shorter
     * side to size / 0.875, centre crop size×size, scale to [-1, 1]. On the cats_dogs test photos it
     * names the right animal more often than squashing the whole photo (0.870 against 0.820 with the
     * TFLite MobileNetV2 1.0/224).
     */
    public static Preprocessing tensorflowCentralCrop(int size) {
        return new Preprocessing(Math.round(size / 0.875f), size, false, new float[] {0.5f, 0.5f, 0.5f},
                new float[] {0.5f, 0.5f, 0.5f});
    }

    @Override
    public float[] mean() {
        return mean.clone();
    }

    @Override
    public float[] std() {
        return std.clone();
    }

    /** Number of floats one preprocessed image takes. */
    public int floatsPerImage() {
        return 3 * crop * crop;
    }

    /**
     * Resizes, crops and normalises an RGB image into {@code out} at {@code offset}, CHW order.
     */
    public void apply(BufferedImage rgb, float[] out, int offset) {
        if (offset < 0 || offset + floatsPerImage() > out.length) {
            throw new IllegalArgumentException("out has " + out.length + " floats; an image at offset " + offset
                    + " needs " + floatsPerImage());
        }
        byte[] bgr = RgbConversion.bgrBytes(rgb);
        int[] pixels;
        if (bgr != null) {
            pixels = Resizer.resizeAndCropBgr(bgr, rgb.getWidth(), rgb.getHeight(), this);
        } else {
            BufferedImage img = RgbConversion.toIntRgb(rgb);
            pixels = Resizer.resizeAndCrop(RgbConversion.pixels(img), img.getWidth(), img.getHeight(), this);
        }
        float[][] lut = new float[3][256];
        for (int c = 0; c < 3; c++) {
            for (int v = 0; v < 256; v++) {
                // The same float operations as ToTensor (v / 255) then Normalize ((x - mean) / std).
                lut[c][v] = ((float) v / 255f - mean[c]) / std[c];
            }
        }
        int plane = crop * crop;
        for (int i = 0; i < plane; i++) {
            int p = pixels[i];
            out[offset + i] = lut[0][(p >> 16) & 0xFF];
            out[offset + plane + i] = lut[1][(p >> 8) & 0xFF];
            out[offset + 2 * plane + i] = lut[2][p & 0xFF];
        }
    }

    /** Convenience form of {@link #apply(BufferedImage, float[], int)} for one image. */
    public float[] apply(BufferedImage rgb) {
        float[] out = new float[floatsPerImage()];
        apply(rgb, out, 0);
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Preprocessing p && resize == p.resize && crop == p.crop && squash == p.squash
                && Arrays.equals(mean, p.mean) && Arrays.equals(std, p.std);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * (31 * resize + crop) + Boolean.hashCode(squash)) + Arrays.hashCode(mean))
                + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return (squash ? "squash to " + resize + "x" + resize : "resize shorter side to " + resize)
                + ", centre crop " + crop + ", mean " + Arrays.toString(mean) + ", std " + Arrays.toString(std);
    }
}
