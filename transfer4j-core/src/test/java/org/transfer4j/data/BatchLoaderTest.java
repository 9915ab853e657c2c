package org.transfer4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchLoaderTest {

    @TempDir
    Path dir;

    @Test
    void batchesComeInOrderWithTheSamePixelsAsOneByOneAndSkipBadFiles() throws IOException {
        List<Path> files = new ArrayList<>(SyntheticImages.write(dir, 3, 5, 40, 1));
        Path empty = Files.write(dir.resolve("class0/empty.jpg"), new byte[0]);
        byte[] jpeg = Files.readAllBytes(files.get(0));
        Path cut = Files.write(dir.resolve("class1/cut.jpg"), Arrays.copyOf(jpeg, jpeg.length / 3));
        files.add(3, empty);
        files.add(9, cut);
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            samples.add(new Sample(files.get(i), i % 3));
        }
        Preprocessing p = new Preprocessing(24, 20, false, new float[] {0.4f, 0.5f, 0.6f}, new float[] {0.2f, 0.25f, 0.3f});
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        AtomicLong clock = new AtomicLong();
        ProgressBar bar = new ProgressBar("decode", samples.size(), new PrintStream(log, true, StandardCharsets.UTF_8),
                false, () -> clock.addAndGet(4_000_000_000L));
        BatchLoader.Options options = BatchLoader.Options.defaults().withBatchSize(4).withThreads(3).withBatchesAhead(1);
        List<Integer> seen = new ArrayList<>();
        List<SkippedFile> skippedInBatches = new ArrayList<>();
        try (BatchLoader loader = new BatchLoader(samples, p, options, bar)) {
            assertThat(loader.batchCount()).isEqualTo(5);
            while (loader.hasNext()) {
                Batch b = loader.next();
                assertThat(b.pixels()).hasSize(b.size() * p.floatsPerImage());
                for (int i = 0; i < b.size(); i++) {
                    int pos = b.positions()[i];
                    assertThat(b.samples().get(i)).isEqualTo(samples.get(pos));
                    float[] expected = p.apply(ImageDecoder.decodeRgb(samples.get(pos).file()));
                    float[] got = Arrays.copyOfRange(b.pixels(), i * p.floatsPerImage(), (i + 1) * p.floatsPerImage());
                    assertThat(got).as("image %d", pos).containsExactly(expected);
                    seen.add(pos);
                }
                skippedInBatches.addAll(b.skipped());
            }
            assertThatThrownBy(loader::next).isInstanceOf(NoSuchElementException.class);
            assertThat(loader.skipped()).isEqualTo(skippedInBatches);
        }
        List<Integer> expectedPositions = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            if (i != 3 && i != 9) {
                expectedPositions.add(i);
            }
        }
        assertThat(seen).isEqualTo(expectedPositions);
        assertThat(skippedInBatches).extracting(SkippedFile::file).containsExactly(empty, cut);
        assertThat(skippedInBatches.get(0).reason()).contains("empty");
        assertThat(skippedInBatches.get(1).reason()).contains("truncated").doesNotContain(cut.toString());
        String text = log.toString(StandardCharsets.UTF_8);
        // The fake clock moves 4 s per reading: a log line at most every 10 s, and a final one.
        assertThat(text.lines().toList()).hasSizeBetween(2, 5).last().asString().startsWith("decode 17/17 100.0%");
    }

    @Test
    void recycledArraysCarryTheNextBatchesWithTheRightPixels() throws IOException {
        List<Path> files = SyntheticImages.write(dir.resolve("recycled"), 2, 9, 40, 2);
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            samples.add(new Sample(files.get(i), i % 2));
        }
        Preprocessing p = new Preprocessing(24, 20, false, new float[] {0.4f, 0.5f, 0.6f}, new float[] {0.2f, 0.25f, 0.3f});
        BatchLoader.Options options = BatchLoader.Options.defaults().withBatchSize(4).withThreads(2).withBatchesAhead(1)
                .withProgress(false);
        java.util.Set<float[]> arrays = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        int batches = 0;
        try (BatchLoader loader = new BatchLoader(samples, p, options)) {
            while (loader.hasNext()) {
                Batch b = loader.next();
                for (int i = 0; i < b.size(); i++) {
                    float[] expected = p.apply(ImageDecoder.decodeRgb(b.samples().get(i).file()));
                    assertThat(Arrays.copyOfRange(b.pixels(), i * p.floatsPerImage(), (i + 1) * p.floatsPerImage()))
                            .as("image %d", b.positions()[i]).containsExactly(expected);
                }
                arrays.add(b.pixels());
                batches++;
                loader.recycle(b);
            }
        }
        assertThat(batches).isEqualTo(5);
        // two batches are decoded before the first comes back (one handed out, one ahead), then arrays
        // come round again; the last, short batch gets an array of its own
        assertThat(arrays).hasSizeLessThan(batches);
    }

    @Test
    void emptyInputGivesNoBatches() {
        try (BatchLoader loader = new BatchLoader(List.of(), Preprocessing.imagenet(),
                BatchLoader.Options.defaults().withProgress(false))) {
            assertThat(loader.hasNext()).isFalse();
        }
    }
}
