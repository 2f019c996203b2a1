package dev.tidemark.internal.reverse;

import dev.tidemark.DownVerification;
import dev.tidemark.DownVerification.Check;
import dev.tidemark.DownVerification.Outcome;
import dev.tidemark.ErrorCode;
import dev.tidemark.MigrationStatus;
import dev.tidemark.Redaction;
import dev.tidemark.TidemarkException;
import dev.tidemark.VerifyDownRequest;
import dev.tidemark.internal.schema.DiffScript;
import dev.tidemark.internal.schema.SchemaDiffer;
import dev.tidemark.internal.schema.SchemaIntrospector;
import dev.tidemark.internal.schema.SchemaModel;
import dev.tidemark.internal.schema.ShadowDatabase;
import dev.tidemark.internal.source.LocalMigration;
import dev.tidemark.internal.source.MigrationSource;
import dev.tidemark.internal.sql.MigrationPlan;
import dev.tidemark.internal.sql.ScriptSplitter;
import dev.tidemark.internal.sql.SqlStatement;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Checks down scripts on a shadow database: the migrations are applied in order, and for each one checked, up, down
 * (the schema must equal the one before up, compared as drift compares), up again (it must equal the one after the
 * first up).
 *
 * <p>When both scripts run in a transaction, the round trip runs in one that is rolled back, so whatever it finds the
 * shadow database is left after the first up and the next migration goes on from there. Otherwise the scripts run
 * for real, and when the round trip does not come back, the shadow database is built again up to that migration.
 */
public final class DownVerifier {

    private final MigrationSource source;
    private final Supplier<ShadowDatabase> shadows;
    private final SchemaIntrospector introspector;

    public DownVerifier(MigrationSource source, Supplier<ShadowDatabase> shadows, String schema,
            Set<String> excludedTables) {
        this.source = source;
        this.shadows = shadows;
        this.introspector = new SchemaIntrospector(schema, excludedTables);
    }

    /**
     * The request's migrations; with {@link VerifyDownRequest#pendingOnly()}, those of {@code status} pending (never
     * applied, or rolled back) that have a down script. The status is read once, before the shadow database is made.
     */
    public DownVerification verify(VerifyDownRequest request, Supplier<MigrationStatus> status) {
        if (!request.pendingOnly()) {
            return verify(request.migrations(), request.seed(), null);
        }
        Set<String> pending = new HashSet<>();
        status.get().pending().forEach(m -> pending.add(m.name()));
        return verify(List.of(), request.seed(), pending);
    }

    /**
     * @param names the migrations to check; empty for every one that has a down script
     * @param seed  rows applied once, after the first checked migration's up; or null
     */
    public DownVerification verify(List<String> names, Path seed) {
        return verify(names, seed, null);
    }

    /** @param only when not null, only these of the migrations with a down script (names must be empty) */
    private DownVerification verify(List<String> names, Path seed, Set<String> only) {
        List<LocalMigration> migrations = source.scan();
        Map<Integer, LocalMigration> downs = targets(migrations, names);
        if (only != null) {
            downs.keySet().removeIf(index -> !only.contains(migrations.get(index).name()));
        }
        if (downs.isEmpty()) {
            return new DownVerification(List.of());
        }
        List<SqlStatement> seedStatements = seed == null ? null : seed(seed);
        int first = downs.keySet().stream().min(Integer::compare).orElseThrow();
        int last = downs.keySet().stream().max(Integer::compare).orElseThrow();
        List<Check> checks = new ArrayList<>();
        Run run = new Run();
        try {
            run.open();
            for (int i = 0; i <= last; i++) {
                LocalMigration up = migrations.get(i);
                LocalMigration down = downs.get(i);
                if (down == null) {
                    run.shadow.apply(run.connection, up);
                    continue;
                }
                SchemaModel before = introspector.read(run.connection);
                run.shadow.apply(run.connection, up);
                if (i == first && seedStatements != null) {
                    applySeed(run, seed, seedStatements, up);
                }
                SchemaModel after = introspector.read(run.connection);
                boolean transactional = transactional(up) && transactional(down);
                Check check;
                if (transactional) {
                    check = inTransaction(run.connection, up, down, before, after);
                } else {
                    check = roundTrip(run.connection, up, down, before, after, false);
                    if (check.outcome() != Outcome.REVERSIBLE) {
                        // the shadow database is no longer after this migration: build it again up to it
                        run.close();
                        run.open();
                        for (int j = 0; j <= i; j++) {
                            run.shadow.apply(run.connection, migrations.get(j));
                            if (j == first && seedStatements != null) {
                                applySeed(run, seed, seedStatements, migrations.get(j));
                            }
                        }
                    }
                }
                checks.add(check);
            }
        } finally {
            run.close();
        }
        return new DownVerification(checks);
    }

    /** The migrations to check, by index, with their down scripts. */
    private Map<Integer, LocalMigration> targets(List<LocalMigration> migrations, List<String> names) {
        Map<Integer, LocalMigration> downs = new LinkedHashMap<>();
        if (names.isEmpty()) {
            for (int i = 0; i < migrations.size(); i++) {
                int index = i;
                migrations.get(i).down().ifPresent(down -> downs.put(index, down));
            }
            return downs;
        }
        for (String name : names) {
            int index = Migrations.indexOf(migrations, name, source.location());
            LocalMigration migration = migrations.get(index);
            downs.put(index, migration.down().orElseThrow(() -> new TidemarkException(ErrorCode.MIGRATIONS_INVALID,
                    "Migration " + migration.name() + " has no down script: " + downFile(migration) + " does not"
                            + " exist. Write it (or generate it from the schema diff), or leave the migration out of"
                            + " the check.")));
        }
        return downs;
    }

    /** Where the migration's down.sql would be, beside its migration.sql. */
    private static String downFile(LocalMigration migration) {
        String file = migration.file();
        int slash = file.lastIndexOf('/');
        return (slash < 0 ? "" : file.substring(0, slash + 1)) + "down.sql";
    }

    private static boolean transactional(LocalMigration script) {
        return MigrationPlan.of(script, Integer.MAX_VALUE).transactional();
    }

    /** The round trip in a transaction that is rolled back: the shadow database stays after the first up. */
    private Check inTransaction(Connection connection, LocalMigration up, LocalMigration down, SchemaModel before,
            SchemaModel after) {
        try {
            connection.setAutoCommit(false);
            try {
                return roundTrip(connection, up, down, before, after, true);
            } finally {
                connection.rollback();
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new TidemarkException(ErrorCode.SHADOW_DATABASE_FAILED, "Could not use the shadow database: "
                    + e.getMessage() + ".", e);
        }
    }

    private Check roundTrip(Connection connection, LocalMigration up, LocalMigration down, SchemaModel before,
            SchemaModel after, boolean inTransaction) {
        String failure = run(connection, down, inTransaction);
        if (failure != null) {
            return new Check(up.name(), Outcome.FAILS, List.of(), failure);
        }
        SchemaModel afterDown = read(connection, inTransaction);
        List<String> differences = new ArrayList<>(differences(before, afterDown, ""));
        failure = run(connection, up, inTransaction);
        if (failure != null) {
            failure = "up again: " + failure;
            if (!differences.isEmpty()) {
                differences.add("after " + failure);
                return new Check(up.name(), Outcome.LEAVES_DIFFERENCES, differences, null);
            }
            return new Check(up.name(), Outcome.FAILS, List.of(), failure);
        }
        differences.addAll(differences(after, read(connection, inTransaction), "after up again: "));
        return new Check(up.name(), differences.isEmpty() ? Outcome.REVERSIBLE : Outcome.LEAVES_DIFFERENCES,
                differences, null);
    }

    private SchemaModel read(Connection connection, boolean inTransaction) {
        return inTransaction ? introspector.readInTransaction(connection) : introspector.read(connection);
    }

    /** The summary lines of the diff from the expected schema to the one found, without the destructive marks. */
    private static List<String> differences(SchemaModel expected, SchemaModel found, String prefix) {
        String summary = DiffScript.summary(SchemaDiffer.diff(expected, found));
        return summary.lines().map(line -> prefix + line.replace("  [destructive]", "")).toList();
    }

    /**
     * Runs a script's statements; in a transaction, all in it (the transaction control they hold skipped, as deploy
     * does); otherwise as deploy would. Returns null, or {@code file:line: message} for the statement that failed.
     */
    private static String run(Connection connection, LocalMigration script, boolean inTransaction) {
        List<SqlStatement> statements;
        try {
            statements = MigrationPlan.statements(script);
        } catch (TidemarkException e) {
            return e.getMessage();
        }
        boolean transactional = !inTransaction && transactional(script);
        try (Statement statement = connection.createStatement()) {
            if (transactional) {
                connection.setAutoCommit(false);
            }
            for (SqlStatement sql : statements) {
                if ((inTransaction || transactional) && MigrationPlan.isTransactionControl(sql)) {
                    continue;
                }
                try {
                    statement.execute(sql.sql());
                } catch (SQLException e) {
                    if (transactional) {
                        connection.rollback();
                        connection.setAutoCommit(true);
                    }
                    return script.file() + ":" + sql.line() + ": " + Redaction.maskSecrets(e.getMessage())
                            + (e.getSQLState() == null ? "" : " (SQLSTATE " + e.getSQLState() + ")");
                }
            }
            if (transactional) {
                connection.commit();
                connection.setAutoCommit(true);
            }
            return null;
        } catch (SQLException e) {
            throw new TidemarkException(ErrorCode.SHADOW_DATABASE_FAILED, "Could not use the shadow database: "
                    + e.getMessage() + ".", e);
        }
    }

    private static List<SqlStatement> seed(Path seed) {
        try {
            String text = Files.readString(seed, StandardCharsets.UTF_8);
            return ScriptSplitter.split(text.startsWith("\uFEFF") ? text.substring(1) : text);
        } catch (IOException e) {
            throw new TidemarkException(ErrorCode.CONFIGURATION_INVALID, "Could not read the seed file " + seed
                    + ": " + e + ". Give a SQL file of INSERT statements.", e);
        } catch (ScriptSplitter.ScriptSyntaxException e) {
            throw new TidemarkException(ErrorCode.CONFIGURATION_INVALID, "The seed file " + seed + " cannot be split"
                    + " into statements at line " + e.line() + ": " + e.getMessage() + ". Fix the file.", e);
        }
    }

    private static void applySeed(Run run, Path seed, List<SqlStatement> statements, LocalMigration after) {
        try (Statement statement = run.connection.createStatement()) {
            for (SqlStatement sql : statements) {
                try {
                    statement.execute(sql.sql());
                } catch (SQLException e) {
                    throw new TidemarkException(ErrorCode.CONFIGURATION_INVALID, "The seed file " + seed
                            + " failed at line " + sql.line() + ": " + run.shadow.mask(e.getMessage())
                            + ". Its rows are inserted once, right after " + after.name() + " (the first migration"
                            + " checked), so they must fit the schema as it is then; fix the file, or check from"
                            + " another migration.", e);
                }
            }
        } catch (SQLException e) {
            throw new TidemarkException(ErrorCode.SHADOW_DATABASE_FAILED, "Could not use the shadow database: "
                    + run.shadow.mask(e.getMessage()) + ".", e);
        }
    }

    /** The shadow database of a check, and its one connection. */
    private final class Run {
        ShadowDatabase shadow;
        Connection connection;

        void open() {
            shadow = shadows.get();
            connection = shadow.connect();
        }

        void close() {
            if (connection != null) {
                try {
                    connection.close();
                } catch (SQLException ignored) {
                    // the database is dropped next
                }
                connection = null;
            }
            if (shadow != null) {
                shadow.close();
                shadow = null;
            }
        }
    }
}
