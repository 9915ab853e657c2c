package org.transfer4j.doctor;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.transfer4j.data.CraftedFiles;
import org.transfer4j.data.SyntheticImages;

/**
 * Writes the hardening corpus of issue 6: a two-class dataset ({@code cats}, {@code dogs}, twelve
 * good synthetic images each) salted with every kind of awkward file, plus an empty class folder.
 *
 * @param root the dataset folder
 * @param bad files training must skip, relative to the root, with a word their reason must contain
 * @param odd readable but odd files, relative to the root, with the finding code that must name them
 * @param permissionsEnforced whether the file without read permission really cannot be read (false as root)
 */
public record HardeningCorpus(Path root, Map<String, String> bad, Map<String, String> odd, boolean permissionsEnforced) {

    /** The file without read permission, relative to the root. */
    public static final String NO_PERMISSION = "cats/no permission.jpg";

    public static HardeningCorpus write(Path root) throws IOException {
        Random random = new Random(6);
        for (String cls : new String[] {"cats", "dogs"}) {
            Files.createDirectories(root.resolve(cls));
            for (int i = 0; i < 12; i++) {
                Files.write(root.resolve(cls + "/good_" + i + ".jpg"),
                        CraftedFiles.encode(SyntheticImages.draw(cls.equals("cats") ? 0 : 1, 2, 96, random), "jpg"));
            }
        }
        Map<String, String> bad = new LinkedHashMap<>();
        Map<String, String> odd = new LinkedHashMap<>();
        byte[] goodJpeg = Files.readAllBytes(root.resolve("cats/good_0.jpg"));

        put(root, "cats/zero.jpg", new byte[0]);
        bad.put("cats/zero.jpg", "empty file");
        put(root, "cats/truncated.jpg", Arrays.copyOf(goodJpeg, goodJpeg.length / 2));
        bad.put("cats/truncated.jpg", "truncated");
        put(root, "cats/notes.jpg", "this is a text file, not a photo\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        bad.put("cats/notes.jpg", "not an image");
        put(root, "cats/bomb.png", CraftedFiles.pngHeaderClaiming(30000, 30000));
        bad.put("cats/bomb.png", "limit");
        Files.createSymbolicLink(root.resolve("cats/loop"), root.resolve("cats"));
        bad.put("cats/loop", "symlink loop");
        Files.createSymbolicLink(root.resolve("cats/self"), Path.of("self"));
        bad.put("cats/self", "symlink loop");
        Files.createDirectories(root.resolve("empty_class"));
        bad.put("empty_class", "empty class folder");

        put(root, "cats/png named.jpg", CraftedFiles.encode(image(random), "png"));
        odd.put("cats/png named.jpg", "misnamed");
        put(root, "cats/animated.gif", animatedGif(random));
        odd.put("cats/animated.gif", "animated");
        put(root, "cats/sixteen.png", CraftedFiles.png16(96, 80, 40000, 9000, 20000));
        odd.put("cats/sixteen.png", "16-bit");
        put(root, "dogs/palette.png", CraftedFiles.palettePngWithTransparency(96, 80, 0xFF0000, 0x00FF00));
        odd.put("dogs/palette.png", "alpha");
        put(root, "dogs/cmyk.jpg", CraftedFiles.cmykJpeg(96, 80, 200, 30, 10, 0));
        odd.put("dogs/cmyk.jpg", "cmyk");
        put(root, "dogs/grey icc.jpg", CraftedFiles.greyJpegWithIcc(96, 80, 128));
        odd.put("dogs/grey icc.jpg", "grey");
        put(root, "dogs/rotated.jpg", CraftedFiles.rotatedJpeg(6, 120, 80, 0xFF0000, 0x00FF00, 0x0000FF, 0xFFFFFF));
        odd.put("dogs/rotated.jpg", "exif-rotated");
        put(root, "dogs/.hidden.jpg", goodJpeg);
        odd.put("dogs/.hidden.jpg", "hidden");
        Files.createDirectories(root.resolve(".thumbnails"));
        put(root, ".thumbnails/t.jpg", goodJpeg);
        odd.put(".thumbnails/", "hidden");

        // Readable, ordinary images in awkward places: they must be trained on and not reported.
        put(root, "dogs/chien été 🐕 n°1.jpg", CraftedFiles.encode(image(random), "jpg"));
        put(root, "dogs/nested/sub folder/deep.jpg", CraftedFiles.encode(image(random), "jpg"));
        put(root, NO_PERMISSION, CraftedFiles.encode(image(random), "jpg"));
        Files.setPosixFilePermissions(root.resolve(NO_PERMISSION), PosixFilePermissions.fromString("---------"));
        boolean enforced;
        try (InputStream in = Files.newInputStream(root.resolve(NO_PERMISSION))) {
            in.read();
            enforced = false;
        } catch (IOException e) {
            enforced = true;
        }
        if (enforced) {
            bad.put(NO_PERMISSION, "cannot be read");
        }
        return new HardeningCorpus(root, bad, odd, enforced);
    }

    private static BufferedImage image(Random random) {
        return SyntheticImages.draw(random.nextInt(2), 2, 96, random);
    }

    private static void put(Path root, String relative, byte[] bytes) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
    }

    private static byte[] animatedGif(Random random) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.prepareWriteSequence(null);
            for (int i = 0; i < 3; i++) {
                BufferedImage frame = new BufferedImage(96, 96, BufferedImage.TYPE_BYTE_INDEXED);
                frame.createGraphics().drawImage(image(random), 0, 0, null);
                writer.writeToSequence(new IIOImage(frame, null, null), null);
            }
            writer.endWriteSequence();
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
