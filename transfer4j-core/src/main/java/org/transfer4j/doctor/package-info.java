/**
 * The data doctor: checks an image folder before training and says what would distort training or
 * evaluation. {@link org.transfer4j.doctor.DataDoctor#inspect} reads and decodes every image (with the
 * decoder training uses) and returns an {@link org.transfer4j.doctor.InspectReport}: counts per split
 * and class, sizes, formats, colour oddities (grey, alpha, CMYK, 16-bit, animated, EXIF-rotated),
 * unreadable files with the reason, exact duplicates (content hash) and near duplicates
 * ({@link org.transfer4j.doctor.PerceptualHash}, found by {@link org.transfer4j.doctor.DuplicateFinder}
 * without comparing all pairs), leakage across the split, imbalance, and
 * {@link org.transfer4j.doctor.Finding}s with concrete fixes. {@link org.transfer4j.doctor.ReportText}
 * renders the report; {@link org.transfer4j.doctor.DataDoctor#quickCheck} is the cheap subset that
 * {@code train} runs. {@link org.transfer4j.doctor.ContentDuplicates} adds findings from backbone embeddings
 * ({@code inspect --embeddings}): crops, flips, colour changes and re-encodings, across and within the split.
 */
package org.transfer4j.doctor;
