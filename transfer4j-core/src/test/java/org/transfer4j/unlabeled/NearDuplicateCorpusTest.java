package org.transfer4j.unlabeled;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.transfer4j.SharedData;
import org.transfer4j.data.ImageFolder;
import org.transfer4j.data.NearCopies;
import org.transfer4j.doctor.ContentDuplicates;
import org.transfer4j.doctor.DataDoctor;
import org.transfer4j.doctor.DoctorOptions;
import org.transfer4j.doctor.Finding;
import org.transfer4j.doctor.InspectReport;

/**
 * Issue 15, "must show" 3: near duplicates by content. The cosine threshold is calibrated on a corpus made
 * from hymenoptera (20 crops, flips, colour-jittered copies and quality-40 re-encodings of its training
 * images, planted in its val folder): {@link NearDuplicates#DEFAULT_MIN_COSINE} is that calibration, rounded.
 * It is then scored, unchanged, on the same kinds of copies made from cats_dogs's training images and placed
 * in its test folder: {@code inspect --embeddings} (the perceptual hash and the embeddings together) finds at
 * least 18 of each kind, with at most 2 pairs on the clean cats_dogs. What the embeddings alone and the
 * perceptual hash alone find is printed beside it.
 */
class NearDuplicateCorpusTest {

    private static final int PER_KIND = 20;

    @TempDir
    Path tmp;

    @Test
    @Tag("shared")
    @Tag("slow")
    void calibratedThresholdFindsEditedCopiesAcrossTheSplit() throws IOException {
        Embedder embedder = SharedEmbedder.mobilenetV2();

        List<NearCopies.Planted> calibration = NearCopies.plant(SharedData.dataset("hymenoptera"),
                tmp.resolve("hymenoptera"), "val", PER_KIND, 1);
        Embeddings calibrationEmbeddings = embedder.embed(tmp.resolve("hymenoptera"));
        Map<String, Float> copyScores = copyScores(calibrationEmbeddings, calibration);
        float lowestCopy = (float) copyScores.values().stream().mapToDouble(Float::doubleValue).min().orElseThrow();
        float[] others = otherPairs(calibrationEmbeddings, calibration, lowestCopy);
        float[] copies = new float[copyScores.size()];
        int c = 0;
        for (float s : copyScores.values()) {
            copies[c++] = s;
        }
        double calibrated = NearDuplicates.calibrate(copies, others);
        System.out.printf(Locale.ROOT, "calibration (hymenoptera, %d images + %d copies): threshold %.4f; %s; %d other "
                        + "pair(s) at or above the lowest copy (%.3f), highest %s%n", calibrationEmbeddings.count()
                        - calibration.size(), calibration.size(), calibrated, byKind(calibration, copyScores), others.length,
                lowestCopy, Arrays.toString(top(others, 5)));

        Path corpus = tmp.resolve("cats_dogs");
        List<NearCopies.Planted> planted = NearCopies.plant(SharedData.dataset("cats_dogs"), corpus, "test", PER_KIND, 15);
        Embeddings e = embedder.embed(corpus);
        Map<String, Float> scores = copyScores(e, planted);
        System.out.printf(Locale.ROOT, "cats_dogs copies: %s%n", byKind(planted, scores));
        Set<String> copyFiles = new HashSet<>();
        planted.forEach(p -> copyFiles.add(p.copy()));
        Set<String> found = new HashSet<>();
        List<String> falsePairs = new ArrayList<>();
        List<String> copyWithOther = new ArrayList<>();
        for (NearDuplicates.Pair p : NearDuplicates.find(e, NearDuplicates.DEFAULT_MIN_COSINE)) {
            String key = key(e.items().get(p.first()).path(), e.items().get(p.second()).path());
            if (scores.containsKey(key)) {
                found.add(key);
            } else if (!copyFiles.contains(e.items().get(p.first()).path())
                    && !copyFiles.contains(e.items().get(p.second()).path())) {
                falsePairs.add(key + String.format(Locale.ROOT, " (%.3f)", p.cosine()));
            } else {
                copyWithOther.add(key + String.format(Locale.ROOT, " (%.3f)", p.cosine()));
            }
        }
        Map<NearCopies.Kind, Integer> byEmbedding = count(planted, found);

        InspectReport report = DataDoctor.inspect(corpus, DoctorOptions.defaults());
        Set<String> byHash = new HashSet<>();
        report.duplicates().forEach(d -> byHash.add(key(d.first(), d.second())));
        Map<NearCopies.Kind, Integer> byPerceptualHash = count(planted, byHash);
        Set<String> byEither = new HashSet<>(found);
        byEither.addAll(byHash);
        Map<NearCopies.Kind, Integer> byDoctor = count(planted, byEither);
        System.out.printf(Locale.ROOT, "cats_dogs corpus, threshold %.3f: found by embedding %s of %d each, by the "
                        + "perceptual hash alone %s, by either (inspect --embeddings) %s; false pairs on the clean cats_dogs: %d %s; a copy with another image: %d %s%n",
                NearDuplicates.DEFAULT_MIN_COSINE, byEmbedding, PER_KIND, byPerceptualHash, byDoctor, falsePairs.size(), falsePairs,
                copyWithOther.size(), copyWithOther);

        ImageFolder folder = ImageFolder.scan(corpus, ImageFolder.DEFAULT_TEST_FRACTION, ImageFolder.DEFAULT_SEED);
        List<Finding> findings = ContentDuplicates.findings(e, Set.copyOf(folder.testPaths()),
                NearDuplicates.DEFAULT_MIN_COSINE);
        Finding leakage = findings.stream().filter(f -> f.code().equals("leakage-content")).findFirst().orElseThrow();
        assertThat(leakage.distorts()).isTrue();
        assertThat(leakage.files()).as("the leakage finding lists each copy with its similarity")
                .hasSizeGreaterThanOrEqualTo(found.size())
                .anySatisfy(f -> assertThat(f).startsWith("train/").contains(" ~ test/").contains("(cosine 0."));

        for (NearCopies.Kind kind : NearCopies.Kind.values()) {
            assertThat(byDoctor.get(kind)).as(kind + " copies found by inspect --embeddings").isGreaterThanOrEqualTo(18);
        }
        assertThat(falsePairs).as("pairs on the clean cats_dogs").hasSizeLessThanOrEqualTo(2);
        assertThat(NearDuplicates.DEFAULT_MIN_COSINE).as("the default is the calibrated threshold, rounded")
                .isCloseTo(calibrated, within(0.001));
    }

    /** Cosine similarity of each planted copy with its source, by unordered pair key. */
    private static Map<String, Float> copyScores(Embeddings e, List<NearCopies.Planted> planted) {
        Map<String, Integer> rows = new HashMap<>();
        for (int i = 0; i < e.count(); i++) {
            rows.put(e.items().get(i).path(), i);
        }
        float[][] unit = e.normalised();
        Map<String, Float> scores = new HashMap<>();
        for (NearCopies.Planted p : planted) {
            scores.put(key(p.source(), p.copy()), VectorMath.dot(unit[rows.get(p.source())], unit[rows.get(p.copy())]));
        }
        return scores;
    }

    /** Similarities of the pairs at or above {@code floor} that are not planted copies. */
    private static float[] otherPairs(Embeddings e, List<NearCopies.Planted> planted, float floor) {
        Set<String> copies = new HashSet<>();
        planted.forEach(p -> copies.add(key(p.source(), p.copy())));
        List<Float> others = new ArrayList<>();
        for (NearDuplicates.Pair p : NearDuplicates.find(e, floor)) {
            if (!copies.contains(key(e.items().get(p.first()).path(), e.items().get(p.second()).path()))) {
                others.add(p.cosine());
            }
        }
        float[] out = new float[others.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = others.get(i);
        }
        return out;
    }

    private static Map<NearCopies.Kind, Integer> count(List<NearCopies.Planted> planted, Set<String> found) {
        Map<NearCopies.Kind, Integer> n = new EnumMap<>(NearCopies.Kind.class);
        for (NearCopies.Planted p : planted) {
            n.merge(p.kind(), found.contains(key(p.source(), p.copy())) ? 1 : 0, Integer::sum);
        }
        return n;
    }

    /** Per kind: lowest and median similarity of a copy with its source. */
    private static String byKind(List<NearCopies.Planted> planted, Map<String, Float> scores) {
        StringBuilder s = new StringBuilder();
        for (NearCopies.Kind kind : NearCopies.Kind.values()) {
            double[] v = planted.stream().filter(p -> p.kind() == kind)
                    .mapToDouble(p -> scores.get(key(p.source(), p.copy()))).sorted().toArray();
            s.append(String.format(Locale.ROOT, "%s min %.3f median %.3f; ", kind, v[0], v[v.length / 2]));
        }
        return s.toString().strip();
    }

    private static float[] top(float[] values, int n) {
        float[] v = values.clone();
        Arrays.sort(v);
        float[] out = new float[Math.min(n, v.length)];
        for (int i = 0; i < out.length; i++) {
            out[i] = v[v.length - 1 - i];
        }
        return out;
    }

    private static String key(String a, String b) {
        return a.compareTo(b) < 0 ? a + " ~ " + b : b + " ~ " + a;
    }
}
