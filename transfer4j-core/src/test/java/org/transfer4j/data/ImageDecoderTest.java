package org.transfer4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageDecoderTest {

    private static final int RED = 0xFF0000;
    private static final int GREEN = 0x00FF00;
    private static final int BLUE = 0x0000FF;
    private static final int WHITE = 0xFFFFFF;

    @TempDir
    Path dir;

    private Path file(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    private static int rgb(BufferedImage img, int x, int y) {
        return img.getRGB(x, y) & 0xFFFFFF;
    }

    /** Whether two colours differ by at most {@code tol} per channel (JPEG is lossy). */
    private static boolean near(int a, int b, int tol) {
        for (int shift = 0; shift <= 16; shift += 8) {
            if (Math.abs(((a >> shift) & 0xFF) - ((b >> shift) & 0xFF)) > tol) {
                return false;
            }
        }
        return true;
    }

    @Test
    void zeroByteFileIsNamedAsEmpty() throws IOException {
        Path f = file("empty.jpg", new byte[0]);
        assertThatThrownBy(() -> ImageDecoder.decodeRgb(f))
                .isInstanceOf(IOException.class).hasMessageStartingWith(f.toString()).hasMessageContaining("empty");
    }

    @Test
    void textNamedJpgIsNotAnImage() throws IOException {
        Path f = file("notes.jpg", "hello, this is not a picture\n".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> ImageDecoder.decodeRgb(f))
                .hasMessageStartingWith(f.toString()).hasMessageContaining("not an image").hasMessageContaining("text");
    }

    @Test
    void truncatedJpegIsReportedAsTruncated() throws IOException {
        BufferedImage noise = new BufferedImage(300, 200, BufferedImage.TYPE_INT_RGB);
        Random r = new Random(3);
        for (int y = 0; y < 200; y++) {
            for (int x = 0; x < 300; x++) {
                noise.setRGB(x, y, r.nextInt());
            }
        }
        byte[] full = CraftedFiles.encode(noise, "jpg");
        assertThat(ImageDecoder.decodeRgb(file("full.jpg", full)).getWidth()).isEqualTo(300);
        Path f = file("cut.jpg", Arrays.copyOf(full, full.length * 6 / 10));
        assertThatThrownBy(() -> ImageDecoder.decodeRgb(f)).hasMessageStartingWith(f.toString())
                .hasMessageContaining("truncated");
    }

    @Test
    void pngNamedJpgIsReadByContent() throws IOException {
        Path f = file("photo.jpg", CraftedFiles.encode(CraftedFiles.quadrants(8, 8, RED, GREEN, BLUE, WHITE), "png"));
        BufferedImage img = ImageDecoder.decodeRgb(f);
        assertThat(img.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
        assertThat(new int[] {rgb(img, 0, 0), rgb(img, 7, 0), rgb(img, 0, 7), rgb(img, 7, 7)})
                .containsExactly(RED, GREEN, BLUE, WHITE);
    }

    @Test
    void sixteenBitPngsKeepTheHighByte() throws IOException {
        BufferedImage img = ImageDecoder.decodeRgb(file("rgb16.png", CraftedFiles.png16(4, 4, 0xFFFF, 0x8040, 0x00FF)));
        assertThat(rgb(img, 1, 1)).isEqualTo(0xFF8000);
        BufferedImage grey = ImageDecoder.decodeRgb(file("grey16.png", CraftedFiles.png16Grey(4, 4, 0x6400)));
        // 0x64 = 100 in every channel: no gamma change from Java's linear grey colour space.
        assertThat(rgb(grey, 2, 2)).isEqualTo(0x646464);
    }

    @Test
    void paletteTransparencyKeepsTheStoredColourAsTorchvisionDoes() throws IOException {
        Path f = file("palette.png", CraftedFiles.palettePngWithTransparency(8, 2, 0x123456, 0xABCDEF));
        BufferedImage img = ImageDecoder.decodeRgb(f);
        assertThat(rgb(img, 0, 0)).isEqualTo(0x123456);
        assertThat(rgb(img, 7, 1)).isEqualTo(0xABCDEF);
    }

    @Test
    void greyJpegKeepsItsLevels() throws IOException {
        BufferedImage img = ImageDecoder.decodeRgb(file("grey.jpg", CraftedFiles.greyJpegWithIcc(16, 16, 100)));
        assertThat(near(rgb(img, 8, 8), 0x646464, 2)).as("got %06X", rgb(img, 8, 8)).isTrue();
    }

    @Test
    void cmykJpegDecodesToItsColour() throws IOException {
        // Magenta + yellow ink, no cyan, no black: red.
        BufferedImage img = ImageDecoder.decodeRgb(file("cmyk.jpg", CraftedFiles.cmykJpeg(16, 16, 0, 255, 255, 0)));
        int p = rgb(img, 8, 8);
        assertThat((p >> 16) & 0xFF).as("red of %06X", p).isGreaterThan(180);
        assertThat((p >> 8) & 0xFF).as("green of %06X", p).isLessThan(90);
        assertThat(p & 0xFF).as("blue of %06X", p).isLessThan(90);
    }

    /**
     * EXIF orientation, from the tag's definition: where the stored top-left and top-right corners
     * are displayed (TL, TR, BL, BR).
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void exifOrientationIsApplied(int orientation) throws IOException {
        String[] storedTopLeftGoesTo = {"TL", "TR", "BR", "BL", "TL", "TR", "BR", "BL"};
        String[] storedTopRightGoesTo = {"TR", "TL", "BL", "BR", "BL", "BR", "TR", "TL"};
        int w = 64;
        int h = 32;
        BufferedImage img = ImageDecoder.decodeRgb(
                file("o" + orientation + ".jpg", CraftedFiles.rotatedJpeg(orientation, w, h, RED, GREEN, BLUE, WHITE)));
        boolean swapped = orientation >= 5;
        assertThat(img.getWidth()).isEqualTo(swapped ? h : w);
        assertThat(img.getHeight()).isEqualTo(swapped ? w : h);
        assertThat(near(corner(img, storedTopLeftGoesTo[orientation - 1]), RED, 40)).isTrue();
        assertThat(near(corner(img, storedTopRightGoesTo[orientation - 1]), GREEN, 40)).isTrue();
    }

    private static int corner(BufferedImage img, String where) {
        int x = where.endsWith("L") ? 3 : img.getWidth() - 4;
        int y = where.startsWith("T") ? 3 : img.getHeight() - 4;
        return rgb(img, x, y);
    }

    @Test
    void decompressionBombIsRefusedFromTheHeader() throws IOException {
        Path f = file("bomb.jpg", CraftedFiles.pngHeaderClaiming(30000, 30000));
        assertThatThrownBy(() -> ImageDecoder.decodeRgb(f)).hasMessageStartingWith(f.toString())
                .hasMessageContaining("30000x30000").hasMessageContaining("limit");
    }

    @Test
    void pixelLimitIsConfigurable() throws IOException {
        Path f = file("small.png", CraftedFiles.encode(CraftedFiles.quadrants(100, 100, RED, RED, RED, RED), "png"));
        assertThat(ImageDecoder.decodeRgb(f, DecodeOptions.defaults().withMaxPixels(10_000)).getWidth()).isEqualTo(100);
        assertThatThrownBy(() -> ImageDecoder.decodeRgb(f, DecodeOptions.defaults().withMaxPixels(9_999)))
                .hasMessageContaining("limit");
    }

    @Test
    void largeImagesAreDecodedAtReducedScaleButAtLeastTwiceTheTarget() throws IOException {
        Path f = file("large.jpg", CraftedFiles.encode(CraftedFiles.quadrants(1200, 900, RED, GREEN, BLUE, WHITE), "jpg"));
        BufferedImage img = ImageDecoder.decodeRgb(f, DecodeOptions.defaults().withTargetShorterSide(100));
        // 900 / 4 = 225 >= 200; 900 / 5 = 180 would be below twice the target.
        assertThat(img.getWidth()).isEqualTo(300);
        assertThat(img.getHeight()).isEqualTo(225);
        assertThat(near(rgb(img, 10, 10), RED, 40)).isTrue();
        assertThat(ImageDecoder.decodeRgb(f, DecodeOptions.defaults().withTargetShorterSide(300)).getHeight())
                .isEqualTo(900);
    }

    @Test
    void gifGivesTheFirstFrameAndBmpIsRead() throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.prepareWriteSequence(null);
            writer.writeToSequence(new IIOImage(CraftedFiles.quadrants(8, 8, RED, RED, RED, RED), null, null), null);
            writer.writeToSequence(new IIOImage(CraftedFiles.quadrants(8, 8, BLUE, BLUE, BLUE, BLUE), null, null), null);
            writer.endWriteSequence();
        } finally {
            writer.dispose();
        }
        assertThat(rgb(ImageDecoder.decodeRgb(file("anim.jpeg", bytes.toByteArray())), 4, 4)).isEqualTo(RED);
        Path bmp = file("b.bmp", CraftedFiles.encode(CraftedFiles.quadrants(8, 8, RED, GREEN, BLUE, WHITE), "bmp"));
        assertThat(rgb(ImageDecoder.decodeRgb(bmp), 7, 7)).isEqualTo(WHITE);
    }

    @Test
    void corruptPngNamesTheFile() throws IOException {
        byte[] png = CraftedFiles.encode(CraftedFiles.quadrants(64, 64, RED, GREEN, BLUE, WHITE), "png");
        Path f = file("cut.png", Arrays.copyOf(png, png.length / 2));
        assertThatThrownBy(() -> ImageDecoder.decodeRgb(f)).isInstanceOf(IOException.class)
                .hasMessageStartingWith(f.toString()).hasMessageContaining("PNG");
    }
}
