package dev.tidemark.internal.reverse;

import dev.tidemark.ErrorCode;
import dev.tidemark.TidemarkException;
import dev.tidemark.internal.source.LocalMigration;
import dev.tidemark.internal.source.MigrationSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A migration's {@code down.sql}, beside its {@code migration.sql}. Until the scan loads it
 * ({@code LocalMigration.downScript()}), it is read here from a folder on disk.
 */
final class DownFiles {

    static final String DOWN_SCRIPT = "down.sql";

    private DownFiles() {
    }

    /** Where the migration's down.sql is (or would be), for messages. */
    static String file(LocalMigration migration) {
        String file = migration.file();
        int slash = file.lastIndexOf('/');
        return (slash < 0 ? "" : file.substring(0, slash + 1)) + DOWN_SCRIPT;
    }

    /** The text of the migration's down.sql, if it has one. */
    static Optional<String> read(MigrationSource source, LocalMigration migration) {
        if (source.location().startsWith(MigrationSource.CLASSPATH_PREFIX)) {
            return Optional.empty();
        }
        Path path = Path.of(source.location(), migration.name(), DOWN_SCRIPT);
        if (!Files.isRegularFile(path)) {
            return Optional.empty();
        }
        try {
            String text = Files.readString(path, StandardCharsets.UTF_8);
            return Optional.of(text.startsWith("\uFEFF") ? text.substring(1) : text);
        } catch (IOException e) {
            throw new TidemarkException(ErrorCode.MIGRATIONS_INVALID, "Could not read " + path + ": " + e
                    + ". Check the file's permissions and that it is UTF-8.", e);
        }
    }

    /** The down script as a script the runner can split and plan, named after its file. */
    static LocalMigration asScript(LocalMigration migration, String text) {
        return new LocalMigration(migration.name(), file(migration), text, "", false);
    }
}
