package dev.tidemark.internal.source;

/**
 * A migration read from the migrations folder. Its bytes are read and hashed exactly once, when the folder is scanned.
 *
 * @param name     directory name, for example {@code 20230404095503_init}
 * @param file     where the script came from, for messages
 * @param script   the script text (UTF-8, without a byte-order mark)
 * @param checksum lowercase hex SHA-256 of the file's raw bytes
 * @param bytes    the raw bytes, kept to compute line-ending variants only when a checksum does not match
 */
public record LocalMigration(String name, String file, String script, String checksum, byte[] bytes) {

    /** Whether a checksum recorded in the history table belongs to this file, allowing Prisma's variants. */
    public boolean matches(String recorded) {
        return Checksums.matches(recorded, checksum, bytes);
    }
}
