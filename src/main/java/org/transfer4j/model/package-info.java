/**
 * The trained classifier and its saved form, the model bundle.
 */
package org.transfer4j.model;
