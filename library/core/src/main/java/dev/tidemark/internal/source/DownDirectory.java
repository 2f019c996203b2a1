package dev.tidemark.internal.source;

import dev.tidemark.ErrorCode;
import dev.tidemark.TidemarkException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The hand-written rollback layouts teams keep beside a Prisma folder, imported as down scripts: a directory of
 * {@code <migration>.sql} files ({@code down-migrations/20240108101500_init.sql}), or of
 * {@code rollback_<timestamp>.sql} files, matched to the migration whose name starts with that timestamp. The
 * directory is listed once; files that are not {@code .sql} are ignored, and a {@code .sql} file that matches no
 * migration, or matches one that already has a down script, is refused rather than silently unused.
 */
final class DownDirectory {

    private static final Pattern ROLLBACK_NAME = Pattern.compile("rollback_([0-9]+)\\.sql");

    private final Path directory;

    DownDirectory(Path directory) {
        this.directory = directory;
    }

    /** The migrations, each with the down script this directory holds for it. */
    List<LocalMigration> attach(List<LocalMigration> migrations) {
        Map<String, Path> files = list();
        Map<String, LocalMigration> byName = new HashMap<>();
        for (LocalMigration migration : migrations) {
            byName.put(migration.name(), migration);
        }
        Map<String, Path> chosen = new HashMap<>();
        for (Map.Entry<String, Path> entry : files.entrySet()) {
            String fileName = entry.getKey();
            String migration = migrationFor(fileName, migrations);
            Path earlier = chosen.putIfAbsent(migration, entry.getValue());
            if (earlier != null) {
                throw invalid("Both " + earlier + " and " + entry.getValue() + " are rollback scripts of the"
                        + " migration " + migration + ". Keep one of them.");
            }
            LocalMigration local = byName.get(migration);
            if (local.downFile() != null) {
                throw invalid(entry.getValue() + " is a rollback script of the migration " + migration + ", which"
                        + " already has one: " + local.downFile() + ". Keep one of them.");
            }
        }
        List<LocalMigration> result = new ArrayList<>(migrations.size());
        for (LocalMigration migration : migrations) {
            Path file = chosen.get(migration.name());
            result.add(file == null ? migration : migration.withDown(file.toString(), read(file)));
        }
        return result;
    }

    private String migrationFor(String fileName, List<LocalMigration> migrations) {
        String stem = fileName.substring(0, fileName.length() - ".sql".length());
        for (LocalMigration migration : migrations) {
            if (migration.name().equals(stem)) {
                return stem;
            }
        }
        Matcher rollback = ROLLBACK_NAME.matcher(fileName);
        if (rollback.matches()) {
            String timestamp = rollback.group(1);
            List<String> matches = migrations.stream().map(LocalMigration::name)
                    .filter(name -> name.equals(timestamp) || name.startsWith(timestamp + "_")).toList();
            if (matches.size() == 1) {
                return matches.get(0);
            }
            if (matches.size() > 1) {
                throw invalid(directory.resolve(fileName) + " could be the rollback script of any of "
                        + String.join(", ", matches) + ", which share the timestamp " + timestamp + ". Name it after"
                        + " one migration: <migration>.sql.");
            }
            throw invalid(directory.resolve(fileName) + " names the timestamp " + timestamp + ", but no migration"
                    + " starts with it. Rename it after its migration (<migration>.sql or rollback_<timestamp>.sql),"
                    + " or move it out of " + directory + ".");
        }
        throw invalid(directory.resolve(fileName) + " matches no migration. Files in a down directory are named"
                + " <migration>.sql (the migration's directory name) or rollback_<timestamp>.sql: rename it, or move"
                + " it out of " + directory + ".");
    }

    /** The directory's {@code .sql} files by name, in name order. */
    private Map<String, Path> list() {
        if (!Files.isDirectory(directory)) {
            throw new TidemarkException(ErrorCode.MIGRATIONS_NOT_FOUND, "The down directory " + directory + " "
                    + (Files.exists(directory) ? "is not a directory" : "does not exist") + ". Point it at the folder"
                    + " holding the rollback scripts (<migration>.sql or rollback_<timestamp>.sql files), or leave it"
                    + " unset to use each migration's own down.sql.");
        }
        Map<String, Path> files = new TreeMap<>();
        try (Stream<Path> children = Files.list(directory)) {
            for (Path child : (Iterable<Path>) children::iterator) {
                String name = child.getFileName().toString();
                if (!name.startsWith(".") && name.toLowerCase(Locale.ROOT).endsWith(".sql")
                        && Files.isRegularFile(child)) {
                    files.put(name, child);
                }
            }
        } catch (IOException e) {
            throw invalid("Could not list the down directory " + directory + ": " + e + ". Check that it is readable"
                    + " by the user running Tidemark.");
        }
        return files;
    }

    private static String read(Path file) {
        try {
            return MigrationSource.decodeScript(Files.readAllBytes(file), file.toString());
        } catch (IOException e) {
            throw invalid("Could not read the rollback script " + file + ": " + e + ". Check that it is readable by"
                    + " the user running Tidemark.");
        }
    }

    private static TidemarkException invalid(String message) {
        return new TidemarkException(ErrorCode.MIGRATIONS_INVALID, message);
    }
}
