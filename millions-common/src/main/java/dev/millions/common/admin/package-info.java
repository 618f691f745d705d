/** The loopback admin HTTP server with its bearer token, shared by every node that is operated over HTTP. */
@NullMarked
package dev.millions.common.admin;

import org.jspecify.annotations.NullMarked;
