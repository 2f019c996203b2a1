package dev.tidemark.internal.source;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

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
 * @param downFile      where the migration's down script came from ({@code down.sql} beside the script, or a file
 *                      of a down directory), or {@code null} when it has none
 * @param downText      the down script's text (UTF-8, without a byte-order mark), or {@code null}; it is not part of
 *                      the checksum, which Prisma computes over {@code migration.sql} alone
 */
public record LocalMigration(String name, String file, String script, String checksum, boolean byteOrderMark,
        String downFile, String downText) {

    /** A migration without a down script. */
    public LocalMigration(String name, String file, String script, String checksum, boolean byteOrderMark) {
        this(name, file, script, checksum, byteOrderMark, null, null);
    }

    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    /** The down script's text, when the migration has one. */
    public Optional<String> downScript() {
        return Optional.ofNullable(downText);
    }

    /**
     * The down script as a migration of its own, for the runner: the same name, the down file and its text. Its
     * checksum is the down file's, and is never recorded.
     */
    public Optional<LocalMigration> down() {
        if (downText == null) {
            return Optional.empty();
        }
        return Optional.of(new LocalMigration(name, downFile, downText,
                Checksums.sha256(downText.getBytes(StandardCharsets.UTF_8)), false));
    }

    /** This migration with the given down script (from a down directory). */
    public LocalMigration withDown(String file, String text) {
        return new LocalMigration(name, this.file, script, checksum, byteOrderMark, file, text);
    }

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
