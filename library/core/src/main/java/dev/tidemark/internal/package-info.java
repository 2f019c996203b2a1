/**
 * Internal to Tidemark; not supported for use outside it, and free to change in any release. Its subpackages are
 * named after the domain: {@code source} (the migrations folder), {@code history} (the history table),
 * {@code lock} (the advisory lock), {@code sql} (splitting and running scripts) and {@code jdbc} (connections).
 */
package dev.tidemark.internal;
