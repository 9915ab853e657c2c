/**
 * transfer4j: transfer learning on images. {@link org.transfer4j.Transfer} is the front door.
 */
package org.transfer4j;
