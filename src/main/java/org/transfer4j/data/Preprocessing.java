package org.transfer4j.data;

import java.awt.image.BufferedImage;

/**
 * How a backbone wants its images: resize, crop and normalise, as the weights were trained. Callers
 * take this from the weight set and never retype mean and std.
 *
 * @param resize shorter side after resizing (torchvision's {@code Resize(256)}); when equal to
 *     {@code crop} and {@code squash} is set, the image is resized to crop×crop directly
 * @param crop side of the centre crop fed to the network
 * @param squash resize both sides to {@code crop} without keeping the aspect ratio (TensorFlow Lite)
 * @param mean per-channel mean subtracted after scaling to [0, 1]
 * @param std per-channel standard deviation divided by
 */
public record Preprocessing(int resize, int crop, boolean squash, float[] mean, float[] std) {

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

    /** Number of floats one preprocessed image takes. */
    public int floatsPerImage() {
        return 3 * crop * crop;
    }

    /**
     * Resizes, crops and normalises an RGB image into {@code out} at {@code offset}, CHW order.
     */
    public void apply(BufferedImage rgb, float[] out, int offset) {
        BufferedImage cropped = Resizer.resizeAndCrop(rgb, this);
        int plane = crop * crop;
        int[] pixels = cropped.getRGB(0, 0, crop, crop, null, 0, crop);
        float[] scale = new float[3];
        float[] shift = new float[3];
        for (int c = 0; c < 3; c++) {
            scale[c] = 1f / (255f * std[c]);
            shift[c] = mean[c] / std[c];
        }
        for (int i = 0; i < plane; i++) {
            int p = pixels[i];
            out[offset + i] = ((p >> 16) & 0xff) * scale[0] - shift[0];
            out[offset + plane + i] = ((p >> 8) & 0xff) * scale[1] - shift[1];
            out[offset + 2 * plane + i] = (p & 0xff) * scale[2] - shift[2];
        }
    }

    /** Convenience form of {@link #apply(BufferedImage, float[], int)} for one image. */
    public float[] apply(BufferedImage rgb) {
        float[] out = new float[floatsPerImage()];
        apply(rgb, out, 0);
        return out;
    }
}
