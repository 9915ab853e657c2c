package org.transfer4j.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.transfer4j.SharedData;

/**
 * Preprocessing compared with PIL + torchvision. Decoding and preprocessing are measured apart:
 * preprocessing on PIL's own decoded pixels must match torchvision to float rounding; the whole
 * pipeline differs only by what the JPEG decoders (libjpeg-turbo vs Java) differ by.
 */
@Tag("slow")
class PreprocessingParityTest {

    /** Real photos of several sizes and formats, including a GIF, a .jpeg and a 28x28 grey PNG. */
    private static final List<String> PHOTOS = List.of(
            "hymenoptera/train/ants/0013035.jpg",
            "hymenoptera/train/ants/formica.jpeg",
            "hymenoptera/train/ants/imageNotFound.gif",
            "hymenoptera/train/ants/Nepenthes_rafflesiana_ant.jpg",
            "hymenoptera/train/bees/2467959963_a7831e9ff0.jpg",
            "hymenoptera/train/bees/36900412_92b81831ad.jpg",
            "hymenoptera/val/ants/ants-devouring-remains-of-large-dead-insect-on-red-tile-in-Stellenbosch-South-Africa-closeup-1-DHD.jpg",
            "cats_dogs/train/cats/cat.210.jpg",
            "cats_dogs/train/dogs/dog.1.jpg",
            "cats_dogs/test/cats/cat.4001.jpg",
            "fashion_mnist_small/train/bag/train_00023.png");

    @TempDir
    Path dir;

    @Test
    void preprocessingMatchesTorchvisionOnLosslessImages() throws Exception {
        // Odd sizes exercise the rounding of Resize and CenterCrop; 20x500 pads in the crop.
        int[][] sizes = {{257, 300}, {300, 257}, {640, 480}, {1023, 767}, {100, 37}, {28, 28}, {224, 224}, {20, 500}};
        Random random = new Random(7);
        List<Path> files = new ArrayList<>();
        for (int[] s : sizes) {
            BufferedImage img = SyntheticImages.draw(files.size() % 6, 6, Math.max(s[0], s[1]), random)
                    .getSubimage(0, 0, s[0], s[1]);
            Path f = dir.resolve("synthetic_" + s[0] + "x" + s[1] + ".png");
            ImageIO.write(img, "png", f.toFile());
            files.add(f);
        }
        for (String recipe : List.of("imagenet", "tf224")) {
            Path out = Files.createDirectories(dir.resolve(recipe));
            Preprocessing p = recipe.equals("imagenet") ? Preprocessing.imagenet() : Preprocessing.tensorflow(224);
            for (TorchvisionReference.Image ref : TorchvisionReference.run(out, recipe, files)) {
                BufferedImage mine = ImageDecoder.decodeRgb(ref.file());
                assertThat(Diff.pixels(mine, ref.pilRgb()).max()).as("decoded %s", ref.file()).isZero();
                Diff d = Diff.floats(p.apply(mine), ref.tensor());
                assertThat(d.max()).as("%s %s: %s", recipe, ref.file().getFileName(), d).isLessThanOrEqualTo(1e-6);
            }
        }
    }

    @Test
    @Tag("shared")
    void realPhotosMatchTorchvision() throws Exception {
        Path datasets = SharedData.dataset("hymenoptera").getParent();
        List<Path> files = PHOTOS.stream().map(datasets::resolve).filter(Files::isRegularFile).toList();
        assertThat(files).as("photos under %s", datasets).hasSizeGreaterThanOrEqualTo(8);
        for (String recipe : List.of("imagenet", "tf224")) {
            Path out = Files.createDirectories(dir.resolve(recipe));
            Preprocessing p = recipe.equals("imagenet") ? Preprocessing.imagenet() : Preprocessing.tensorflow(224);
            Diff decoded = Diff.NONE;
            Diff preprocessOnly = Diff.NONE;
            Diff pipeline = Diff.NONE;
            Diff reduced = Diff.NONE;
            for (TorchvisionReference.Image ref : TorchvisionReference.run(out, recipe, files)) {
                BufferedImage mine = ImageDecoder.decodeRgb(ref.file());
                Diff dec = Diff.pixels(mine, ref.pilRgb());
                Diff pre = Diff.floats(p.apply(ref.pilRgb()), ref.tensor());
                Diff all = Diff.floats(p.apply(mine), ref.tensor());
                System.out.printf("%-8s %-40.40s decoded %s | preprocess-only %s | pipeline %s%n", recipe,
                        ref.file().getFileName(), dec, pre, all);
                if (DecodeOptions.forPreprocessing(p).subsampling(mine.getWidth(), mine.getHeight()) > 1) {
                    Diff red = Diff.floats(p.apply(ImageDecoder.decodeRgb(ref.file(), DecodeOptions.forPreprocessing(p))),
                            ref.tensor());
                    System.out.printf("%-8s %-40.40s reduced-scale decoding: pipeline %s%n", recipe,
                            ref.file().getFileName(), red);
                    reduced = reduced.merge(red);
                }
                decoded = decoded.merge(dec);
                preprocessOnly = preprocessOnly.merge(pre);
                pipeline = pipeline.merge(all);
            }
            System.out.printf("%s over %d photos: decoded pixels %s; preprocessing on PIL pixels %s; whole pipeline %s; "
                    + "reduced-scale decoding of the large ones %s%n", recipe, files.size(), decoded, preprocessOnly,
                    pipeline, reduced);
            assertThat(preprocessOnly.max()).as("preprocessing alone").isLessThanOrEqualTo(1e-6);
            // JPEG decoders may differ by a few levels on some pixels; on average they agree closely.
            assertThat(decoded.mean()).as("decoded pixels, mean abs difference in 0..255").isLessThan(1.0);
            assertThat(pipeline.mean()).as("whole pipeline, mean abs difference").isLessThan(0.01);
            assertThat(reduced.count()).as("photos large enough for reduced-scale decoding").isPositive();
            // Point subsampling before the antialiased resize: about one grey level on average.
            assertThat(reduced.mean()).as("reduced-scale pipeline, mean abs difference").isLessThan(0.03);
        }
    }

    /** Max and mean absolute difference, merged over images. */
    record Diff(double max, double sum, long count) {

        static final Diff NONE = new Diff(0, 0, 0);

        double mean() {
            return count == 0 ? 0 : sum / count;
        }

        Diff merge(Diff o) {
            return new Diff(Math.max(max, o.max), sum + o.sum, count + o.count);
        }

        static Diff floats(float[] a, float[] b) {
            assertThat(a).hasSameSizeAs(b);
            double max = 0;
            double sum = 0;
            for (int i = 0; i < a.length; i++) {
                double d = Math.abs(a[i] - b[i]);
                max = Math.max(max, d);
                sum += d;
            }
            return new Diff(max, sum, a.length);
        }

        static Diff pixels(BufferedImage a, BufferedImage b) {
            assertThat(a.getWidth()).isEqualTo(b.getWidth());
            assertThat(a.getHeight()).isEqualTo(b.getHeight());
            double max = 0;
            double sum = 0;
            for (int y = 0; y < a.getHeight(); y++) {
                for (int x = 0; x < a.getWidth(); x++) {
                    int p = a.getRGB(x, y);
                    int q = b.getRGB(x, y);
                    for (int s = 0; s <= 16; s += 8) {
                        int d = Math.abs(((p >> s) & 0xFF) - ((q >> s) & 0xFF));
                        max = Math.max(max, d);
                        sum += d;
                    }
                }
            }
            return new Diff(max, sum, 3L * a.getWidth() * a.getHeight());
        }

        @Override
        public String toString() {
            return String.format("max %.3g mean %.3g", max, mean());
        }
    }
}
