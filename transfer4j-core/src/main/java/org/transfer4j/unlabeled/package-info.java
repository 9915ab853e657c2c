/**
 * Pretrained features before any label exists: embeddings of every image under a folder, labelled or
 * not, nearest-neighbour search over them, and clustering.
 *
 * <ul>
 *   <li>{@link org.transfer4j.data.ImageTree} (in {@code data}) lists every image under a folder;
 *       {@link org.transfer4j.unlabeled.Embedder} computes {@link org.transfer4j.unlabeled.Embeddings}
 *       for every image under a folder, through the same feature cache as training, and
 *       {@link org.transfer4j.unlabeled.EmbeddingFiles} writes and reads them as {@code embeddings.npy},
 *       {@code index.csv} and {@code manifest.json}.</li>
 *   <li>{@link org.transfer4j.unlabeled.NeighbourIndex}: nearest neighbours by cosine similarity, exact
 *       or through an HNSW graph (hnswlib-core) on large sets queried many times.</li>
 *   <li>{@link org.transfer4j.unlabeled.NearDuplicates}: pairs of images with near-identical embeddings
 *       (edited copies), and the calibration of its threshold on a corpus of known copies.</li>
 *   <li>{@link org.transfer4j.unlabeled.KMeans} and {@link org.transfer4j.unlabeled.Silhouette}: the
 *       clustering estimator and the choice of k; {@link org.transfer4j.unlabeled.Clusters} applies them
 *       to embeddings; {@link org.transfer4j.unlabeled.ClusterAgreement} scores clusters against hidden
 *       labels for benchmarks.</li>
 * </ul>
 *
 * <p>The estimators follow scikit-learn's shape: settings in the constructor, {@code fit} returns an
 * immutable result; the same seed gives the same result.
 */
package org.transfer4j.unlabeled;
