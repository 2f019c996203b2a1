/**
 * Tidemark's public API: {@link dev.tidemark.Migrator} and the types it returns and throws.
 *
 * <p>Everything under {@code dev.tidemark.internal} is an implementation detail: it may change in any release and
 * is not to be used from outside Tidemark.
 */
package dev.tidemark;
