package org.transfer4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AugmentationTest {

    private static final List<Augmentation> PRESETS = List.of(Augmentation.NONE, Augmentation.LIGHT,
            Augmentation.STANDARD, Augmentation.STRONG);
    private static final List<Preprocessing> RECIPES = List.of(Preprocessing.imagenet(),
            Preprocessing.tensorflowCentralCrop(224), Preprocessing.tensorflow(96));

    @Test
    void everyPresetGivesTheNetworkSizeForOddImages() {
        List<BufferedImage> images = List.of(image(1, 1, BufferedImage.TYPE_INT_RGB, 1),
                image(3, 2, BufferedImage.TYPE_INT_RGB, 2), image(1200, 7, BufferedImage.TYPE_INT_RGB, 3),
                image(5, 900, BufferedImage.TYPE_INT_RGB, 4), image(333, 251, BufferedImage.TYPE_BYTE_GRAY, 5),
                image(640, 480, BufferedImage.TYPE_4BYTE_ABGR, 6));
        for (Augmentation a : PRESETS) {
            for (Preprocessing p : RECIPES) {
                for (BufferedImage img : images) {
                    for (int view = 0; view < 3; view++) {
                        float[] out = a.apply(img, p, Augmentation.viewRandom(7, "img", view));
                        assertThat(out).as("%s %s %dx%d", a, p, img.getWidth(), img.getHeight())
                                .hasSize(p.floatsPerImage());
                        for (float v : out) {
                            assertThat(Float.isFinite(v)).isTrue();
                        }
                    }
                }
            }
        }
    }

    @Test
    void noneIsPlainPreprocessingExactly() {
        BufferedImage img = image(500, 375, BufferedImage.TYPE_INT_RGB, 11);
        for (Preprocessing p : RECIPES) {
            assertThat(Augmentation.NONE.apply(img, p, new Random(3))).containsExactly(p.apply(img));
        }
    }

    @Test
    void aViewDependsOnlyOnSeedImageAndViewIndex() {
        BufferedImage img = image(500, 375, BufferedImage.TYPE_INT_RGB, 12);
        Preprocessing p = Preprocessing.tensorflowCentralCrop(224);
        for (Augmentation a : List.of(Augmentation.LIGHT, Augmentation.STANDARD, Augmentation.STRONG)) {
            float[] view0 = a.apply(img, p, Augmentation.viewRandom(42, "abc", 0));
            assertThat(a.apply(img, p, Augmentation.viewRandom(42, "abc", 0))).containsExactly(view0);
            assertThat(a.apply(img, p, Augmentation.viewRandom(42, "abc", 1))).isNotEqualTo(view0);
            assertThat(a.apply(img, p, Augmentation.viewRandom(43, "abc", 0))).isNotEqualTo(view0);
            assertThat(a.apply(img, p, Augmentation.viewRandom(42, "abd", 0))).isNotEqualTo(view0);
            assertThat(view0).isNotEqualTo(p.apply(img));
        }
    }

    @Test
    void cropWindowsStayInsideTheImageWithinScaleAndRatio() {
        Augmentation a = Augmentation.STANDARD;
        Random random = new Random(5);
        for (int i = 0; i < 2000; i++) {
            int w = 1 + random.nextInt(800);
            int h = 1 + random.nextInt(800);
            int[] win = a.cropWindow(w, h, random);
            assertThat(win[0]).isBetween(0, w - 1);
            assertThat(win[1]).isBetween(0, h - 1);
            assertThat(win[2]).isBetween(1, w - win[0]);
            assertThat(win[3]).isBetween(1, h - win[1]);
        }
        int[] win = a.cropWindow(640, 480, new Random(9));
        double share = (double) win[2] * win[3] / (640 * 480);
        assertThat(share).isBetween(0.34, 1.01);
        assertThat((double) win[2] / win[3]).isBetween(0.74, 1.34);
    }

    @Test
    void aFlipOnlyViewMirrorsThePlainImage() {
        Augmentation flipOnly = new Augmentation("flip", 1, 1, 1, 1, 1, 0, 0, 0, 0);
        BufferedImage img = image(96, 96, BufferedImage.TYPE_INT_RGB, 13);
        Preprocessing p = Preprocessing.tensorflow(96);
        float[] plain = p.apply(img);
        float[] flipped = flipOnly.apply(img, p, new Random(1));
        int side = p.crop();
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    assertThat(flipped[c * side * side + y * side + x])
                            .isEqualTo(plain[c * side * side + y * side + side - 1 - x]);
                }
            }
        }
    }

    @Test
    void presetsByNameAndErrorsThatNameTheValue() {
        assertThat(Augmentation.preset("Standard")).isEqualTo(Augmentation.STANDARD);
        assertThat(Augmentation.preset("none").isNone()).isTrue();
        assertThatThrownBy(() -> Augmentation.preset("heavy")).hasMessageContaining("'heavy'")
                .hasMessageContaining("light, standard or strong");
    }

    private static BufferedImage image(int w, int h, int type, long seed) {
        BufferedImage img = new BufferedImage(w, h, type);
        Random random = new Random(seed);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int v = (x * 7 + y * 3) & 0xFF;
                img.setRGB(x, y, 0xFF00_0000 | v << 16 | random.nextInt(256) << 8 | (255 - v));
            }
        }
        return img;
    }
}
