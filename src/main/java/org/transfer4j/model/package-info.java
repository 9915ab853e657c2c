/**
 * The trained classifier and its saved form, the model bundle: the manifest (format 2) with the typed
 * {@link org.transfer4j.model.RunRecord}, the export check of {@code model.onnx} against the trained
 * model, and the versions read at run time.
 */
package org.transfer4j.model;
