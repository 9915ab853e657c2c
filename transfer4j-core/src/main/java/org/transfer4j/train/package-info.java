/**
 * Training: the one training loop ({@link org.transfer4j.train.GraphTrainer}: head-only training is the
 * cut at the features, fine-tuning a cut below the top blocks, lr-find the same loop with its own rate),
 * the one optimiser ({@link org.transfer4j.train.OptimizerState}), the head defined once
 * ({@link org.transfer4j.train.TrainedHead}), the feature and cut-activation cache, checkpoints and the
 * configuration records, and the feature table another machine computed
 * ({@link org.transfer4j.train.FeatureTable}: the Spark job's Parquet and its
 * {@link org.transfer4j.train.ExtractionRecord}). Training reads the training and validation splits only, never the test split.
 */
package org.transfer4j.train;
