package org.transfer4j.data;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * A near-duplicate corpus (issue 15, "must show" 3): a copy of a split data set ({@code train/} plus a
 * test folder, one sub-folder per class) with edited copies of training images planted in the test folder
 * of the same class: crops to 70–90 % of the area, horizontal flips, colour-jittered copies (brightness,
 * contrast and saturation each scaled by a factor in [0.6, 1.4], as torchvision's {@code ColorJitter(0.4,
 * 0.4, 0.4)}) and re-encodings at JPEG quality 40. Edited copies other than re-encodings are saved at
 * quality 95. Seeded; each source image is used once.
 */
public final class NearCopies {

    /** The kinds of copy. */
    public enum Kind { CROP, FLIP, JITTER, REENCODE }

    /**
     * One planted copy.
     *
     * @param kind how it was made
     * @param source the training image, relative to the corpus root with '/' separators
     * @param copy the copy in the test folder, relative likewise
     */
    public record Planted(Kind kind, String source, String copy) {
    }

    private NearCopies() {
    }

    /**
     * Copies {@code dataset} to {@code target} and plants {@code perKind} copies of each kind, made from
     * distinct training images (drawn with {@code seed}) and written into {@code target/testFolder/CLASS/}.
     */
    public static List<Planted> plant(Path dataset, Path target, String testFolder, int perKind, long seed)
            throws IOException {
        copyTree(dataset, target);
        List<String> sources = new ArrayList<>();
        try (Stream<Path> classes = Files.list(target.resolve("train"))) {
            for (Path cls : classes.sorted().toList()) {
                try (Stream<Path> files = Files.list(cls)) {
                    files.sorted().forEach(f -> sources.add("train/" + cls.getFileName() + "/" + f.getFileName()));
                }
            }
        }
        Random random = new Random(seed);
        Collections.shuffle(sources, random);
        List<Planted> planted = new ArrayList<>();
        int next = 0;
        for (Kind kind : Kind.values()) {
            for (int i = 0; i < perKind; i++) {
                String source = sources.get(next++);
                String cls = source.split("/")[1];
                String copy = testFolder + "/" + cls + "/copy-" + kind.name().toLowerCase(java.util.Locale.ROOT) + "-" + i
                        + ".jpg";
                BufferedImage image = ImageDecoder.decodeRgb(target.resolve(source));
                byte[] bytes = switch (kind) {
                    case CROP -> jpeg(crop(image, random), 0.95f);
                    case FLIP -> jpeg(flip(image), 0.95f);
                    case JITTER -> jpeg(jitter(image, random), 0.95f);
                    case REENCODE -> jpeg(image, 0.40f);
                };
                Files.write(target.resolve(copy), bytes);
                planted.add(new Planted(kind, source, copy));
            }
        }
        return planted;
    }

    /** A crop of 70–90 % of the area, of the image's aspect ratio, at a random place. */
    static BufferedImage crop(BufferedImage image, Random random) {
        double side = Math.sqrt(0.70 + 0.20 * random.nextDouble());
        int w = (int) Math.round(image.getWidth() * side);
        int h = (int) Math.round(image.getHeight() * side);
        int x = random.nextInt(image.getWidth() - w + 1);
        int y = random.nextInt(image.getHeight() - h + 1);
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        out.setRGB(0, 0, w, h, image.getRGB(x, y, w, h, null, 0, w), 0, w);
        return out;
    }

    static BufferedImage flip(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                out.setRGB(w - 1 - x, y, image.getRGB(x, y));
            }
        }
        return out;
    }

    /** Brightness, contrast and saturation, each scaled by a factor drawn from [0.6, 1.4] (training's jitter). */
    static BufferedImage jitter(BufferedImage image, Random random) {
        int w = image.getWidth();
        int h = image.getHeight();
        int[] pixels = image.getRGB(0, 0, w, h, null, 0, w);
        ColourJitter.apply(pixels, factor(random), factor(random), factor(random));
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        out.setRGB(0, 0, w, h, pixels, 0, w);
        return out;
    }

    private static double factor(Random random) {
        return 0.6 + 0.8 * random.nextDouble();
    }

    /** The image as a baseline JPEG at the given quality (0..1), with the JDK's encoder. */
    public static byte[] jpeg(BufferedImage image, float quality) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(quality);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /** Copies a folder tree (files and folders, sorted). */
    public static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.sorted().toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
