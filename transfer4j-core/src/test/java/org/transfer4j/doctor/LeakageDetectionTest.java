package org.transfer4j.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.transfer4j.SharedData;
import org.transfer4j.data.ImageDecoder;
import org.transfer4j.data.NearCopies;

/**
 * Issue 6, "must show" 2: a copy of cats_dogs with 20 training images copied into the test split and
 * 20 more re-encoded (10, JPEG quality 0.5) or resized (10, to 60%): the doctor finds at least the 20
 * exact and 18 of the 20 near copies, with no more than 2 pairs on the clean set.
 */
class LeakageDetectionTest {

    @TempDir
    Path tmp;

    @Test
    void findsPlantedCopiesAcrossTheSplit() throws IOException {
        Path clean = SharedData.dataset("cats_dogs");
        InspectReport before = DataDoctor.inspect(clean, DoctorOptions.defaults());
        System.out.println("clean cats_dogs: " + before.duplicates().size() + " duplicate pair(s): " + before.duplicates());
        assertThat(before.duplicates()).as("pairs on the clean set").hasSizeLessThanOrEqualTo(2);
        Set<String> alreadyDuplicated = new HashSet<>();
        before.duplicates().forEach(d -> {
            alreadyDuplicated.add(d.first());
            alreadyDuplicated.add(d.second());
        });

        Path data = tmp.resolve("cats_dogs");
        NearCopies.copyTree(clean, data);
        List<String> sources = new ArrayList<>();
        for (String cls : List.of("cats", "dogs")) {
            try (Stream<Path> s = Files.list(data.resolve("train/" + cls))) {
                s.map(p -> "train/" + cls + "/" + p.getFileName()).filter(p -> !alreadyDuplicated.contains(p))
                        .sorted().forEach(sources::add);
            }
        }
        Collections.shuffle(sources, new Random(6));
        Set<String> exact = new HashSet<>();
        Set<String> near = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            String src = sources.get(i);
            String cls = src.split("/")[1];
            String dst = "test/" + cls + "/leak_" + i + ".jpg";
            Path from = data.resolve(src);
            if (i < 20) {
                Files.copy(from, data.resolve(dst));
                exact.add(src + " = " + dst);
            } else {
                BufferedImage img = ImageDecoder.decodeRgb(from);
                byte[] bytes = i < 30 ? NearCopies.jpeg(img, 0.5f) : NearCopies.jpeg(scale(img, 0.6), 0.9f);
                Files.write(data.resolve(dst), bytes);
                near.add(src + " ~ " + dst);
            }
        }

        InspectReport after = DataDoctor.inspect(data, DoctorOptions.defaults());
        Set<String> foundExact = new HashSet<>();
        Set<String> foundNear = new HashSet<>();
        List<String> falsePairs = new ArrayList<>();
        for (InspectReport.Duplicate d : after.leaks()) {
            String key = d.first() + (d.exact() ? " = " : " ~ ") + d.second();
            if (exact.contains(key)) {
                foundExact.add(key);
            } else if (near.contains(key)) {
                foundNear.add(key);
            } else {
                falsePairs.add(key + " (distance " + d.distance() + ")");
            }
        }
        int truePairs = foundExact.size() + foundNear.size();
        double precision = truePairs / (double) (truePairs + falsePairs.size());
        System.out.printf(Locale.ROOT, "leakage: exact %d/20, near %d/20, recall %.3f, precision %.3f, false pairs %s%n",
                foundExact.size(), foundNear.size(), truePairs / 40.0, precision, falsePairs);
        List<String> missed = new ArrayList<>(near);
        missed.removeAll(foundNear);
        System.out.println("near copies missed: " + missed);

        assertThat(foundExact).hasSize(20);
        assertThat(foundNear).hasSizeGreaterThanOrEqualTo(18);
        assertThat(falsePairs).hasSizeLessThanOrEqualTo(2);
        assertThat(after.findings()).anyMatch(f -> f.code().equals("leakage-exact") && f.distorts())
                .anyMatch(f -> f.code().equals("leakage-near") && f.distorts());
    }

    private static BufferedImage scale(BufferedImage img, double factor) {
        int w = (int) Math.round(img.getWidth() * factor);
        int h = (int) Math.round(img.getHeight() * factor);
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(img, 0, 0, w, h, null);
        g.dispose();
        return out;
    }

}
