package dev.tidemark.internal.source;

import java.nio.charset.StandardCharsets;

/**
 * A migration read from the migrations folder. Its bytes are read and hashed exactly once, when the folder is scanned.
 *
 * <p>The raw bytes are not kept: a strictly decoded UTF-8 script encodes back to exactly them, so {@link #bytes()}
 * rebuilds them in the rare case they are needed (a checksum that does not match), and a big script is held once.
 *
 * @param name          directory name, for example {@code 20230404095503_init}
 * @param file          where the script came from, for messages
 * @param script        the script text (UTF-8, without a byte-order mark)
 * @param checksum      lowercase hex SHA-256 of the file's raw bytes
 * @param byteOrderMark whether the file started with a UTF-8 byte-order mark
 */
public record LocalMigration(String name, String file, String script, String checksum, boolean byteOrderMark) {

    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    /** The file's raw bytes, for computing line-ending variants of the checksum. */
    public byte[] bytes() {
        byte[] text = script.getBytes(StandardCharsets.UTF_8);
        if (!byteOrderMark) {
            return text;
        }
        byte[] withBom = new byte[text.length + BOM.length];
        System.arraycopy(BOM, 0, withBom, 0, BOM.length);
        System.arraycopy(text, 0, withBom, BOM.length, text.length);
        return withBom;
    }

    /** Whether a checksum recorded in the history table belongs to this file, allowing Prisma's variants. */
    public boolean matches(String recorded) {
        return Checksums.matches(recorded, checksum, this::bytes);
    }
}
