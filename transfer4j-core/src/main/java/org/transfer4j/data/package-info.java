/**
 * Images in, tensors out: {@link org.transfer4j.data.ImageFolder} scans and splits a folder of
 * labelled images, {@link org.transfer4j.data.ImageDecoder} reads any real-world file into 8-bit RGB,
 * {@link org.transfer4j.data.Preprocessing} resizes, crops and normalises exactly as torchvision does,
 * and {@link org.transfer4j.data.BatchLoader} does both on a thread pool, batch after batch, ahead of
 * the consumer. {@link org.transfer4j.data.Augmentation} makes random, reproducible views of training
 * images of the same size as preprocessing. {@link org.transfer4j.data.ImageLayout} finds the same
 * layout, labels and splits in a listing of relative paths (a Hadoop file system, a feature table).
 *
 * <pre>{@code
 * ImageFolder folder = ImageFolder.scan(Path.of("data/pets"));          // classes, train, val, skipped
 * try (BatchLoader loader = new BatchLoader(folder.train(), Preprocessing.imagenet(),
 *         BatchLoader.Options.defaults())) {
 *     while (loader.hasNext()) {
 *         Batch batch = loader.next();                                    // [n, 3, 224, 224] floats
 *     }
 * }
 * }</pre>
 */
package org.transfer4j.data;
