package dev.tidemark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes migrations folders for tests. */
final class Migrations {

    private Migrations() {
    }

    /** Adds {@code <folder>/<name>/migration.sql}; returns the folder. */
    static Path write(Path folder, String name, String sql) {
        try {
            Files.createDirectories(folder.resolve(name));
            Files.writeString(folder.resolve(name).resolve("migration.sql"), sql);
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
