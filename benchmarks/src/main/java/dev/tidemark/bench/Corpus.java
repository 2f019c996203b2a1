package dev.tidemark.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * One migration history written in each tool's own layout, with the same SQL byte for byte: a Prisma folder for
 * Tidemark and the floor, {@code V<n>__<name>.sql} files for Flyway, and one formatted-SQL changelog per migration
 * (included from a master changelog) for Liquibase.
 */
public record Corpus(String id, Path root, List<String> tables, int size) {

    /** The prefix of every corpus's folder under the corpus root. */
    static final String GENERATED = "generated-";
    public static final String DOCUMENSO = "documenso";
    static final String HISTORY_TABLE = "_prisma_migrations";

    /** Migrations named like Prisma's (timestamp_name), so that every tool orders them the same way. */
    record Migration(String name, String sql) {
    }

    public Path prisma() {
        return root.resolve("prisma");
    }

    public Path flyway() {
        return root.resolve("flyway");
    }

    public Path liquibase() {
        return root.resolve("liquibase");
    }

    public static final String LIQUIBASE_CHANGELOG = "changelog.xml";

    /**
     * The corpus {@code id} under {@code base}: {@code generated-N} (N tables, each with an index, as the issue
     * specifies) or {@code documenso} (the real history in the shared corpus). Writes it on first use; the content is
     * deterministic, so forks and runs share it.
     */
    public static Corpus load(Path base, String id) {
        Path root = base.resolve(id);
        List<Migration> migrations = migrations(id);
        List<String> tables = new ArrayList<>();
        if (id.startsWith(GENERATED)) {
            for (int i = 1; i <= migrations.size(); i++) {
                tables.add(table(i));
            }
        }
        if (!Files.isRegularFile(root.resolve("complete"))) {
            write(root, migrations);
        }
        return new Corpus(id, root, List.copyOf(tables), migrations.size());
    }

    /**
     * Gives every migration of a generated corpus its down script ({@code down.sql}: {@code DROP TABLE t_i;}, which
     * drops its index too), for the rollback scenario. Idempotent, so forks may all call it.
     */
    public void writeDownScripts() {
        if (!id.startsWith(GENERATED)) {
            throw new IllegalArgumentException("Only generated corpora have down scripts, not " + id);
        }
        List<Migration> migrations = migrations(id);
        try {
            for (int i = 1; i <= migrations.size(); i++) {
                Path down = prisma().resolve(migrations.get(i - 1).name()).resolve("down.sql");
                if (!Files.isRegularFile(down)) {
                    Path tmp = down.resolveSibling("down.sql.tmp-" + ProcessHandle.current().pid());
                    Files.writeString(tmp, "DROP TABLE " + table(i) + ";\n", StandardCharsets.UTF_8);
                    Files.move(tmp, down, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the down scripts of " + root, e);
        }
    }

    public static String table(int i) {
        return String.format(Locale.ROOT, "t_%04d", i);
    }

    private static List<Migration> migrations(String id) {
        if (id.startsWith(GENERATED)) {
            int n = Integer.parseInt(id.substring(GENERATED.length()));
            List<Migration> out = new ArrayList<>(n);
            for (int i = 1; i <= n; i++) {
                String t = table(i);
                out.add(new Migration(String.format(Locale.ROOT, "20240101%06d_create_%s", i, t),
                        "CREATE TABLE " + t + " (id bigint primary key, name text);\nCREATE INDEX ON " + t
                                + "(name);\n"));
            }
            return out;
        }
        if (id.equals(DOCUMENSO)) {
            return readPrismaFolder(corpusDir().resolve(DOCUMENSO));
        }
        throw new IllegalArgumentException("Unknown corpus '" + id + "': use generated-N or documenso");
    }

    /**
     * The real-world histories: the setting TIDEMARK_CORPUS_DIR (system property, else environment variable), as
     * for the core tests; default ../shared/corpus beside the repository root.
     */
    static Path corpusDir() {
        String configured = System.getProperty("TIDEMARK_CORPUS_DIR");
        if (configured == null || configured.isBlank()) {
            configured = System.getenv("TIDEMARK_CORPUS_DIR");
        }
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured.strip());
        }
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve(".mvn"))) {
                return dir.resolve("../shared/corpus").normalize();
            }
        }
        return start.resolve("../shared/corpus").normalize();
    }

    private static List<Migration> readPrismaFolder(Path folder) {
        try (Stream<Path> dirs = Files.list(folder)) {
            List<Migration> out = new ArrayList<>();
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                out.add(new Migration(dir.getFileName().toString(),
                        Files.readString(dir.resolve("migration.sql"), StandardCharsets.UTF_8)));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the corpus " + folder, e);
        }
    }

    private static void write(Path root, List<Migration> migrations) {
        try {
            Path tmp = Files.createDirectories(root.resolveSibling(root.getFileName() + ".tmp-" + ProcessHandle
                    .current().pid()));
            Path prisma = Files.createDirectories(tmp.resolve("prisma"));
            Path flyway = Files.createDirectories(tmp.resolve("flyway"));
            Path liquibase = Files.createDirectories(tmp.resolve("liquibase").resolve("sql"));
            Files.writeString(prisma.resolve("migration_lock.toml"), "# Please do not edit this file manually\n"
                    + "# It should be added in your version-control system (e.g., Git)\nprovider = \"postgresql\"\n");
            StringBuilder master = new StringBuilder("""
                    <?xml version="1.0" encoding="UTF-8"?>
                    <databaseChangeLog
                            xmlns="http://www.liquibase.org/xml/ns/dbchangelog"
                            xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                            xsi:schemaLocation="http://www.liquibase.org/xml/ns/dbchangelog
                                http://www.liquibase.org/xml/ns/dbchangelog/dbchangelog-latest.xsd">
                    """);
            int version = 0;
            for (Migration m : migrations) {
                version++;
                Path dir = Files.createDirectories(prisma.resolve(m.name()));
                Files.writeString(dir.resolve("migration.sql"), m.sql(), StandardCharsets.UTF_8);
                String description = m.name().substring(m.name().indexOf('_') + 1);
                Files.writeString(flyway.resolve("V" + version + "__" + description + ".sql"), m.sql(),
                        StandardCharsets.UTF_8);
                // Liquibase's statement splitter does not know dollar quoting; its users mark such changesets.
                String options = m.sql().contains("$$") ? " splitStatements:false" : "";
                Files.writeString(liquibase.resolve(m.name() + ".sql"), "--liquibase formatted sql\n\n--changeset "
                        + "bench:" + m.name() + options + "\n" + m.sql(), StandardCharsets.UTF_8);
                master.append("    <include file=\"sql/").append(m.name())
                        .append(".sql\" relativeToChangelogFile=\"true\"/>\n");
            }
            master.append("</databaseChangeLog>\n");
            Files.writeString(tmp.resolve("liquibase").resolve(LIQUIBASE_CHANGELOG), master);
            Files.writeString(tmp.resolve("complete"), migrations.size() + "\n");
            try {
                Files.move(tmp, root);
            } catch (IOException raced) {
                // another fork wrote it first; its copy is identical
                deleteTree(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the corpus " + root, e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
