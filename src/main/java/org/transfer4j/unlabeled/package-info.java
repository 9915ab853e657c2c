/**
 * Pretrained features before any label exists: embeddings of every image under a folder, labelled or
 * not, nearest-neighbour search over them, and clustering.
 *
 * <ul>
 *   <li>{@link org.transfer4j.unlabeled.ImageTree} lists every image under a folder;
 *       {@link org.transfer4j.unlabeled.Embedder} computes {@link org.transfer4j.unlabeled.Embeddings}
 *       for every image under a folder, through the same feature cache as training, and
 *       {@link org.transfer4j.unlabeled.EmbeddingFiles} writes and reads them as {@code embeddings.npy},
 *       {@code index.csv} and {@code manifest.json}.</li>
 * </ul>
 */
package org.transfer4j.unlabeled;
