/** Launching server processes: their log, pid, stop signals and exit wait, and free ports. */
@NullMarked
package dev.millions.common.process;

import org.jspecify.annotations.NullMarked;
