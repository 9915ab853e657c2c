/**
 * Plots and reports of a training run.
 */
package org.transfer4j.report;
