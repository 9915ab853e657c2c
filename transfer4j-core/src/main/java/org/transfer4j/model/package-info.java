/**
 * The trained classifier and its saved form, the model bundle: the manifest (format 2) with the typed
 * {@link org.transfer4j.model.RunRecord}, the export check of {@code model.onnx} against the trained
 * model, the versions read at run time, and the {@link org.transfer4j.model.OpenSetRule} behind the
 * "unknown" answer (fitted on the validation split, stored in the manifest).
 */
package org.transfer4j.model;
