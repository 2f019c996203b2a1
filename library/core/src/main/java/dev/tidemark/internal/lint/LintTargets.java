package dev.tidemark.internal.lint;

import dev.tidemark.ErrorCode;
import dev.tidemark.TidemarkException;
import dev.tidemark.internal.source.LocalMigration;
import dev.tidemark.internal.source.MigrationSource;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Lints what {@code tidemark lint} names: migrations folders, migration directories, or loose {@code .sql} files. */
public final class LintTargets {

    private LintTargets() {
    }

    /** Every migration of a folder (a path or {@code classpath:}), in deploy order. */
    public static void folder(LintEngine engine, String location, ClassLoader classLoader) {
        for (LocalMigration m : new MigrationSource(location, classLoader).scan()) {
            engine.lint(m);
        }
    }

    /**
     * One path: a migrations folder (every migration in it), a migration directory or its {@code migration.sql} (the
     * earlier migrations of its folder are read first, for the state they build), or any other {@code .sql} file.
     */
    public static void path(LintEngine engine, Path path) {
        if (!Files.exists(path)) {
            throw new TidemarkException(ErrorCode.MIGRATIONS_NOT_FOUND, path + " does not exist. Name a migrations"
                    + " folder, a migration directory or a .sql file.");
        }
        Path file = Files.isDirectory(path) ? path.resolve("migration.sql") : path;
        if (Files.isDirectory(path) && !Files.isRegularFile(file)) {
            folder(engine, path.toString(), LintTargets.class.getClassLoader());
            return;
        }
        Path directory = file.getParent() == null ? null : file.toAbsolutePath().getParent();
        boolean inFolder = file.getFileName().toString().equals("migration.sql") && directory != null
                && directory.getParent() != null;
        if (inFolder) {
            String name = directory.getFileName().toString();
            try (Stream<Path> siblings = Files.list(directory.getParent())) {
                for (Path sibling : siblings.filter(d -> Files.isRegularFile(d.resolve("migration.sql")))
                        .sorted().toList()) {
                    if (sibling.getFileName().toString().compareTo(name) < 0) {
                        engine.learn(read(sibling.getFileName().toString(), sibling.resolve("migration.sql")));
                    }
                }
            } catch (IOException e) {
                throw unreadable(directory.getParent(), e);
            }
            engine.lint(read(name, file));
        } else {
            engine.lint(read(file.getFileName().toString(), file));
        }
    }

    private static LocalMigration read(String name, Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            boolean bom = bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB
                    && (bytes[2] & 0xFF) == 0xBF;
            String script = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes, bom ? 3 : 0, bytes.length - (bom ? 3 : 0))).toString();
            return new LocalMigration(name, file.toString(), script, "", bom);
        } catch (CharacterCodingException e) {
            throw new TidemarkException(ErrorCode.MIGRATIONS_INVALID, file + " is not valid UTF-8. Save it as"
                    + " UTF-8.");
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    private static TidemarkException unreadable(Path path, IOException e) {
        return new TidemarkException(ErrorCode.MIGRATIONS_INVALID, "Could not read " + path + ": " + e.getMessage(),
                e);
    }

    /** The given migrations in order: {@code learned} for state only, then {@code linted} reported. */
    public static void migrations(LintEngine engine, List<LocalMigration> learned, List<LocalMigration> linted) {
        learned.forEach(engine::learn);
        linted.forEach(engine::lint);
    }
}
