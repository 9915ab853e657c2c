package org.transfer4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fast path of decoding for preprocessing (the JPEG reader's BGR bytes read as they are, readers
 * kept per thread) gives exactly what the plain path gives.
 */
class PreprocessingFastPathTest {

    @TempDir
    Path dir;

    @Test
    void resizingBgrBytesEqualsResizingPackedPixels() {
        Random random = new Random(3);
        // Downscaled, upscaled, padded, and exactly the resize size (no filtering on one axis).
        int[][] sizes = {{500, 375}, {375, 500}, {300, 257}, {100, 37}, {20, 500}, {256, 256}, {256, 300}, {1023, 767}};
        for (Preprocessing p : new Preprocessing[] {Preprocessing.imagenet(), Preprocessing.tensorflow(224)}) {
            for (int[] s : sizes) {
                int w = s[0];
                int h = s[1];
                byte[] bgr = new byte[3 * w * h];
                random.nextBytes(bgr);
                int[] packed = new int[w * h];
                for (int i = 0; i < packed.length; i++) {
                    packed[i] = (bgr[3 * i + 2] & 0xFF) << 16 | (bgr[3 * i + 1] & 0xFF) << 8 | (bgr[3 * i] & 0xFF);
                }
                assertThat(Resizer.resizeAndCropBgr(bgr, w, h, p)).as("%dx%d %s", w, h, p)
                        .isEqualTo(Resizer.resizeAndCrop(packed, w, h, p));
            }
        }
    }

    @Test
    void decodingForPreprocessingGivesTheSameTensors() throws IOException {
        Random random = new Random(5);
        BufferedImage photo = SyntheticImages.draw(0, 6, 480, random).getSubimage(0, 0, 480, 360);
        Path plain = Files.write(dir.resolve("plain.jpg"), CraftedFiles.encode(photo, "jpg"));
        Path rotated = Files.write(dir.resolve("rotated.jpg"),
                CraftedFiles.rotatedJpeg(6, 300, 200, 0xFF0000, 0x00FF00, 0x0000FF, 0xFFFFFF));
        Path grey = Files.write(dir.resolve("grey.jpg"), CraftedFiles.greyJpegWithIcc(300, 200, 90));
        Path png = Files.write(dir.resolve("photo.png"), CraftedFiles.encode(photo, "png"));
        Preprocessing p = Preprocessing.imagenet();
        DecodeOptions options = DecodeOptions.forPreprocessing(p);
        for (int round = 0; round < 2; round++) { // the second round reuses this thread's readers
            for (Path f : new Path[] {plain, rotated, grey, png}) {
                BufferedImage fast = ImageDecoder.decodeForPreprocessing(f, options);
                BufferedImage rgb = ImageDecoder.decodeRgb(f, options);
                assertThat(fast.getWidth()).as("%s", f).isEqualTo(rgb.getWidth());
                assertThat(p.apply(fast)).as("%s", f).isEqualTo(p.apply(rgb));
            }
        }
        BufferedImage upright = ImageDecoder.decodeForPreprocessing(plain, options);
        assertThat(upright.getType()).as("an upright colour JPEG is read as the reader made it")
                .isEqualTo(BufferedImage.TYPE_3BYTE_BGR);
        assertThat(((DataBufferByte) upright.getRaster().getDataBuffer()).getData()).hasSize(3 * 480 * 360);
        assertThat(ImageDecoder.decodeForPreprocessing(rotated, options).getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
    }

    @Test
    void aReaderThatFailedIsNotReused() throws IOException {
        Random random = new Random(9);
        byte[] jpeg = CraftedFiles.encode(SyntheticImages.draw(1, 6, 200, random), "jpg");
        Path good = Files.write(dir.resolve("good.jpg"), jpeg);
        Path truncated = Files.write(dir.resolve("cut.jpg"), Arrays.copyOf(jpeg, jpeg.length / 2));
        float[] before = Preprocessing.imagenet().apply(ImageDecoder.decodeRgb(good));
        assertThatThrownBy(() -> ImageDecoder.decodeRgb(truncated)).hasMessageStartingWith(truncated + ": ");
        assertThat(Preprocessing.imagenet().apply(ImageDecoder.decodeRgb(good))).isEqualTo(before);
        assertThatThrownBy(() -> ImageDecoder.decodeRgb(truncated)).hasMessageStartingWith(truncated + ": ");
    }
}
