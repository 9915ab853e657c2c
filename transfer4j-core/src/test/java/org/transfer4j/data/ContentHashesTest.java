package org.transfer4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContentHashesTest {

    @TempDir
    Path dir;

    @Test
    void hashesTheContentNotTheName() throws IOException {
        Path a = Files.write(dir.resolve("a.jpg"), "same bytes".getBytes(StandardCharsets.UTF_8));
        Path b = Files.write(dir.resolve("b.png"), "same bytes".getBytes(StandardCharsets.UTF_8));
        Path c = Files.write(dir.resolve("c.jpg"), "other bytes".getBytes(StandardCharsets.UTF_8));
        ContentHashes hashes = new ContentHashes();
        assertThat(hashes.hash(a)).isEqualTo(hashes.hash(b)).isNotEqualTo(hashes.hash(c)).hasSize(32);
        // SHA-256("abc"), first 128 bits
        assertThat(ContentHashes.of("abc".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223");
    }

    @Test
    void readsEachFileOnceForTheRun() throws IOException {
        Path a = Files.write(dir.resolve("a.jpg"), new byte[] {1, 2, 3});
        ContentHashes hashes = new ContentHashes();
        hashes.prefetch(List.of(new Sample(a, 0)));
        String first = ContentHashes.of(new byte[] {1, 2, 3});
        Files.write(a, new byte[] {4, 5, 6});
        assertThat(hashes.hash(a)).isEqualTo(first);
        assertThat(new ContentHashes().hash(a)).isEqualTo(ContentHashes.of(new byte[] {4, 5, 6}));
    }

    @Test
    void anUnreadableFileIsReportedByHashNotByPrefetch() {
        Path missing = dir.resolve("gone.jpg");
        ContentHashes hashes = new ContentHashes();
        hashes.prefetch(List.of(new Sample(missing, 0)));
        assertThatThrownBy(() -> hashes.hash(missing)).isInstanceOf(NoSuchFileException.class);
    }
}
