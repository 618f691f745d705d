/** Files and folders that the launchers and the supervisor make and delete. */
@NullMarked
package dev.millions.common.files;

import org.jspecify.annotations.NullMarked;
