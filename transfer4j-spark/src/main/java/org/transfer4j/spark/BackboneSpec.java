package org.transfer4j.spark;

import java.io.Serializable;

/**
 * What every executor needs to rebuild the driver's backbone: shipped with each task, small.
 *
 * @param backbone backbone name ({@code mobilenet_v2})
 * @param weightsFileName the weights file's name among the job's files ({@code SparkFiles})
 * @param weightsSha256 the SHA-256 the driver computed; each executor checks its copy against it
 * @param device where the backbone runs ({@code cpu}, {@code cuda:0}), as resolved on the driver
 * @param threads ONNX Runtime threads per task (Spark's {@code spark.task.cpus})
 * @param batchSize images per backbone run
 * @param maxPixels pixel limit per image, checked before decoding
 */
record BackboneSpec(String backbone, String weightsFileName, String weightsSha256, String device, int threads,
                    int batchSize, long maxPixels) implements Serializable {

    private static final long serialVersionUID = 1L;
}
