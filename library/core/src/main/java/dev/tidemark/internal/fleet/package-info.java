/**
 * Internal: fleet deploys (targets files and queries, sharding, bounded parallel runs). Not a supported API; use
 * {@code dev.tidemark.Fleet}.
 */
package dev.tidemark.internal.fleet;
