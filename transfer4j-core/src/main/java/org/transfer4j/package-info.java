/**
 * transfer4j: transfer learning on images. {@link org.transfer4j.Transfer} is the front door; it
 * composes the public parts (scan, check, extract, train, export, evaluate once, bundle).
 *
 * <p>One builder convention across the API: settings are either an immutable record copied with
 * {@code withX(...)} ({@code TrainConfig}, {@code BatchLoader.Options}, ...) or, for a run that is
 * assembled and then executed, a fluent builder whose setters return the builder and check their value
 * at once, naming the option ({@code Transfer}); nothing runs until a verb ({@code fit}, {@code train},
 * {@code features}).
 */
package org.transfer4j;
