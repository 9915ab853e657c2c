/**
 * Evaluation of predictions: accuracy, confusion matrix, per-class precision, recall and F1.
 */
package org.transfer4j.eval;
