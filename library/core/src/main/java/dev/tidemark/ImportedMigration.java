package dev.tidemark;

/**
 * One migration converted from a Flyway or Liquibase history by {@link Importer}.
 *
 * @param name     the Prisma directory name, for example {@code 00000000000002_v1_1_add_email}
 * @param origin   where it came from, for messages: a Flyway file name, or a Liquibase changelog and changeset
 * @param version  the Flyway version ({@code 1.1}), or the Liquibase changeset as {@code id::author}
 * @param script   the {@code migration.sql} text: a Flyway file's exact content, a Liquibase changeset's lines
 * @param checksum Prisma's checksum of {@code migration.sql} (SHA-256 of its bytes), as recorded on import
 * @since 0.1
 */
public record ImportedMigration(String name, String origin, String version, String script, String checksum) {
}
