package org.transfer4j.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * Backbone features on disk, one small file per image, keyed by the image's content hash under a
 * folder per backbone + weights + preprocessing. Entries are written atomically and checked (magic,
 * width, CRC-32) on read; a damaged entry is deleted and recomputed, never trusted. The whole folder is
 * safe to delete at any time.
 */
public final class FeatureCache {

    private static final int MAGIC = 0x5434_4A46; // "T4JF"
    private static final int HEADER = 16;

    private final Path dir;
    private final int width;

    /**
     * @param root the cache root (e.g. {@code ~/.cache/transfer4j/features})
     * @param modelKey identifies backbone, weights hash and preprocessing
     * @param width feature width
     */
    public FeatureCache(Path root, String modelKey, int width) {
        this.dir = root.resolve(modelKey);
        this.width = width;
    }

    /** The folder holding this model's entries. */
    public Path dir() {
        return dir;
    }

    /** A cache of the same width beside this one, in the folder named by this one's plus {@code suffix}. */
    public FeatureCache variant(String suffix) {
        return new FeatureCache(dir.getParent(), dir.getFileName() + suffix, width);
    }

    /** The cached features of an image, when present and intact. */
    public Optional<float[]> get(String contentHash) {
        Path file = entry(contentHash);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
            if (buf.remaining() == HEADER + 4L * width && buf.getInt() == MAGIC && buf.getInt() == width) {
                long crc = buf.getLong();
                float[] values = new float[width];
                buf.asFloatBuffer().get(values);
                if (crc == crcOf(buf.array())) {
                    return Optional.of(values);
                }
            }
            Files.deleteIfExists(file);
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Stores an image's features (atomically: a reader sees the old entry or the new one). */
    public void put(String contentHash, float[] values) {
        if (values.length != width) {
            throw new IllegalArgumentException("expected " + width + " features, got " + values.length);
        }
        ByteBuffer buf = ByteBuffer.allocate(HEADER + 4 * width).order(ByteOrder.LITTLE_ENDIAN);
        buf.putInt(MAGIC).putInt(width).putLong(0);
        buf.asFloatBuffer().put(values);
        buf.putLong(8, crcOf(buf.array()));
        Path file = entry(contentHash);
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), contentHash, ".tmp");
            try {
                Files.write(tmp, buf.array());
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write feature cache entry " + file, e);
        }
    }

    private Path entry(String contentHash) {
        return dir.resolve(contentHash.substring(0, 2)).resolve(contentHash + ".f32");
    }

    private static long crcOf(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes, HEADER, bytes.length - HEADER);
        return crc.getValue();
    }
}
