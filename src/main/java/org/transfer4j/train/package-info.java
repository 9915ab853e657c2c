/**
 * Training on cached backbone features: feature cache and extraction, head trainer, configuration.
 */
package org.transfer4j.train;
