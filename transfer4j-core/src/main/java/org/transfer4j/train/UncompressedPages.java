package org.transfer4j.train;

import java.nio.ByteBuffer;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * The codecs {@link FeatureTable} reads with: uncompressed pages only, as the Spark job writes them.
 * parquet-hadoop's own codec factory goes through Hadoop's codec interfaces, which would put Hadoop on
 * the command line's class path; float features barely compress, so the job does not compress them.
 */
final class UncompressedPages implements CompressionCodecFactory {

    @Override
    public BytesInputCompressor getCompressor(CompressionCodecName codec) {
        throw new UnsupportedOperationException("FeatureTable only reads");
    }

    @Override
    public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
        if (codec != CompressionCodecName.UNCOMPRESSED) {
            throw new IllegalArgumentException("pages compressed with " + codec + "; transfer4j reads uncompressed "
                    + "feature tables, as its Spark job writes them (Spark: option(\"compression\", \"uncompressed\"))");
        }
        return new BytesInputDecompressor() {
            @Override
            public BytesInput decompress(BytesInput bytes, int uncompressedSize) {
                return bytes;
            }

            @Override
            public void decompress(ByteBuffer input, int compressedSize, ByteBuffer output, int uncompressedSize) {
                ByteBuffer slice = input.duplicate();
                slice.limit(slice.position() + compressedSize);
                output.put(slice);
            }

            @Override
            public void release() {
            }
        };
    }

    @Override
    public void release() {
    }
}
