/**
 * The model server ({@code transfer4j serve}): trained bundles behind the Open Inference Protocol
 * (KServe v2 / Triton: health, model metadata, {@code /infer} with base64 {@code BYTES} images and the
 * classification extension), DJL Serving's raw-body {@code /predictions/{model}}, and Prometheus text
 * on {@code /metrics}. Requests are decoded on the server's threads, then queued and run in batches
 * ({@link org.transfer4j.serve.BatchingQueue}); every error body is {@code {"error": "..."}}.
 */
package org.transfer4j.serve;
