package dev.tidemark.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Migrations folders written by the tests themselves. */
final class Fixtures {

    static final String CREATE_NOTES = "20250101000000_create_notes";
    static final String ADD_TAGS = "20250102000000_add_tags";
    static final String INDEX_TAGS = "20250103000000_index_tags";

    private Fixtures() {
    }

    /** Three migrations: a table, a column, an index. */
    static Path migrations(Path dir) {
        write(dir, "migration_lock.toml", CreateCommand.LOCK_FILE_TEXT);
        write(dir, CREATE_NOTES + "/migration.sql",
                "CREATE TABLE notes (id SERIAL PRIMARY KEY, body TEXT NOT NULL);\n");
        write(dir, ADD_TAGS + "/migration.sql", "ALTER TABLE notes ADD COLUMN tags TEXT[] NOT NULL DEFAULT '{}';\n");
        write(dir, INDEX_TAGS + "/migration.sql", "CREATE INDEX notes_tags ON notes USING gin (tags);\n");
        return dir;
    }

    static void delete(Path directory) {
        try (java.util.stream.Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(Path dir, String relative, String text) {
        try {
            Path file = dir.resolve(relative);
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
