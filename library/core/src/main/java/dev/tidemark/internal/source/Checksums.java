package dev.tidemark.internal.source;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Supplier;

/** Prisma Migrate's migration checksum: SHA-256 of the file's raw bytes, lowercase hex. */
public final class Checksums {

    private static final HexFormat HEX = HexFormat.of();

    private Checksums() {
    }

    public static String sha256(byte[] bytes) {
        return HEX.formatHex(digest(bytes));
    }

    /** As {@link #sha256(byte[])} with a digest from {@link #newDigest()}, reused across the files of one scan. */
    static String sha256(MessageDigest digest, byte[] bytes) {
        return HEX.formatHex(digest.digest(bytes));
    }

    /** A SHA-256 digest: looking one up costs more than hashing a small script, so a scan looks up one. */
    static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }

    /**
     * Compares a recorded checksum with a file the way Prisma does: the exact bytes, then the file with CRLF turned
     * into LF and with LF turned into CRLF (so a Windows checkout is not "modified"), and for checksums written by old
     * Prisma versions, which dropped each byte's leading zero, the same three without padding.
     */
    static boolean matches(String recorded, String checksum, Supplier<byte[]> file) {
        if (recorded == null) {
            return false;
        }
        if (recorded.length() == 64 && recorded.equals(checksum)) {
            return true;
        }
        byte[] bytes = file.get();
        if (recorded.length() == 64) {
            String lf = normalizeToLf(bytes);
            return recorded.equals(sha256(lf.getBytes(StandardCharsets.UTF_8)))
                    || recorded.equals(sha256(lf.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8)));
        }
        String lf = normalizeToLf(bytes);
        return recorded.equals(unpadded(digest(bytes)))
                || recorded.equals(unpadded(digest(lf.getBytes(StandardCharsets.UTF_8))))
                || recorded.equals(unpadded(digest(lf.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8))));
    }

    private static String normalizeToLf(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8).replace("\r\n", "\n");
    }

    private static String unpadded(byte[] digest) {
        StringBuilder out = new StringBuilder(64);
        for (byte b : digest) {
            out.append(Integer.toHexString(b & 0xff));
        }
        return out.toString();
    }

    private static byte[] digest(byte[] bytes) {
        return newDigest().digest(bytes);
    }
}
