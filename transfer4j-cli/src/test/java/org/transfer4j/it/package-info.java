/**
 * What a new user meets, checked end to end after {@code mvn install} has built everything: the
 * README's first command on a clean clone with nothing beside it, the runnable jar, the shell
 * completion and man pages, and a Maven project of their own that depends on the installed library.
 * These run under failsafe ({@code *IT}) in the last module of the build.
 */
package org.transfer4j.it;
