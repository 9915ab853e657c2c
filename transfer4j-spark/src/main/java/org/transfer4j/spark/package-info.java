/**
 * Backbone features as an Apache Spark job: {@link org.transfer4j.spark.SparkFeatureExtraction} (the
 * Java API) reads images with Spark's {@code binaryFile} source from any Hadoop file system URI, decodes
 * and preprocesses them as the command line does, runs the backbone on ONNX Runtime once per executor
 * JVM ({@code ExecutorBackbone}) in batches ({@code ExtractPartition}), and writes the Parquet feature
 * table with its {@code _transfer4j.json} that {@code transfer4j train --features} reads;
 * {@link org.transfer4j.spark.FeatureJob} is the {@code spark-submit} entry point.
 */
package org.transfer4j.spark;
