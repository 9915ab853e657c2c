/**
 * The command line: picocli commands, one class each, thin shells over the library.
 */
package org.transfer4j.cli;
