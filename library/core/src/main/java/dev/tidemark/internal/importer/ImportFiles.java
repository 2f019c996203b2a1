package dev.tidemark.internal.importer;

import dev.tidemark.ErrorCode;
import dev.tidemark.ImportedMigration;
import dev.tidemark.TidemarkException;
import dev.tidemark.internal.source.Checksums;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Reading tool files and naming converted migrations. */
final class ImportFiles {

    /** Prisma refuses longer directory names; the prefix and separator take 15 of them. */
    private static final int MAX_NAME_LENGTH = 200;

    private ImportFiles() {
    }

    /** The file's text, refusing bytes that are not UTF-8 (Prisma reads migrations as UTF-8). */
    static String readUtf8(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw invalid("Could not read " + file + ": " + e + ".");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw invalid(file + " is not valid UTF-8, and Prisma Migrate and Tidemark read migrations as UTF-8."
                    + " Convert it (for example iconv -f LATIN1 -t UTF-8) and import again; if the tool already"
                    + " applied it, its checksum there no longer matters once imported.");
        }
    }

    /** A migration with its Prisma name and checksum. */
    static ImportedMigration migration(String prefix, String label, String origin, String version, String script) {
        String name = prefix + "_" + slug(label);
        if (name.length() > MAX_NAME_LENGTH) {
            name = name.substring(0, MAX_NAME_LENGTH);
        }
        return new ImportedMigration(name, origin, version, script,
                Checksums.sha256(script.getBytes(StandardCharsets.UTF_8)));
    }

    /** Lowercase letters, digits and single underscores, as Prisma's names. */
    static String slug(String text) {
        String slug = text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
        return slug.isEmpty() ? "migration" : slug;
    }

    /** A 14-digit prefix, timestamp-shaped, that sorts as {@code index} does. */
    static String sequence(int index) {
        return String.format(Locale.ROOT, "%014d", index);
    }

    static TidemarkException invalid(String message) {
        return new TidemarkException(ErrorCode.IMPORT_INVALID, message);
    }
}
