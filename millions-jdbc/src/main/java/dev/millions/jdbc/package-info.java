/**
 * The data tier as the app sees it: named clusters ({@link dev.millions.jdbc.DatabaseClusters}), each a
 * primary with replicas behind one {@link dev.millions.jdbc.ReplicatedDataSource}, and the
 * {@link dev.millions.jdbc.ClusterRouter} that says which cluster holds a key.
 */
@NullMarked
package dev.millions.jdbc;

import org.jspecify.annotations.NullMarked;
