package dev.tidemark;

import dev.tidemark.internal.importer.FlywayFolder;
import dev.tidemark.internal.importer.LiquibaseChangelog;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Converts a Flyway or Liquibase history into a Prisma Migrate migrations folder, for teams moving to Tidemark.
 *
 * <pre>{@code
 * ImportPlan plan = Importer.flyway(Path.of("src/main/resources/db/migration"));
 * plan.notices().forEach(System.out::println);        // U and R files, ${placeholders}, ...
 * plan.write(Path.of("prisma/migrations"));
 * HistoryImport done = Migrator.builder().url(url).location("prisma/migrations").build()
 *         .importHistory(plan, true);                 // false: a dry run
 * }</pre>
 *
 * <p>Reading files touches no database. Nothing is dropped silently: every file or changeset that is not converted,
 * or converted with a caveat, is named in {@link ImportPlan#notices()} with what to do.
 *
 * @since 0.1
 */
public final class Importer {

    private Importer() {
    }

    /**
     * Reads a Flyway migrations folder (and its subfolders): each {@code V<version>__<description>.sql} becomes one
     * migration whose {@code migration.sql} is the file's exact bytes, in Flyway's version order ({@code 1 < 1.1 < 2
     * < 10}).
     *
     * @throws TidemarkException with {@link ErrorCode#IMPORT_INVALID} if the folder is missing, has no versioned
     *                           migration, holds a version twice, or a file is not UTF-8
     */
    public static ImportPlan flyway(Path folder) {
        Objects.requireNonNull(folder, "folder");
        return FlywayFolder.read(folder);
    }

    /**
     * Reads a Liquibase formatted SQL changelog (a file starting with {@code --liquibase formatted sql}): each
     * {@code --changeset author:id} becomes one migration holding the changeset's lines, in the file's order. XML,
     * YAML and JSON changelogs are refused, with how to get SQL from them.
     *
     * @throws TidemarkException with {@link ErrorCode#IMPORT_INVALID} if the file is not a formatted SQL changelog,
     *                           has no changeset, or holds a changeset twice
     */
    public static ImportPlan liquibase(Path changelog) {
        Objects.requireNonNull(changelog, "changelog");
        return LiquibaseChangelog.read(changelog);
    }
}
