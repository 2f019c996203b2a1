package dev.tidemark;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code deploy} would do, computed without changing the database: the pending migrations in the order deploy
 * applies them, each with its statements (file and line), its transaction mode and why; with
 * {@link Migrator#plan(boolean) measure}, what each statement did on a shadow database (locks, rewrites, scans,
 * duration) and an order of magnitude for the real tables.
 *
 * @param target     the database and schema, password masked
 * @param migrations the pending migrations, in order
 * @param measured   whether the statements were run on a shadow database
 * @param warnings   what deploy would do differently or refuse (failed, modified or missing migrations)
 * @param findings   the static lint findings of the pending migrations with the default rules, as
 *                   {@link Migrator#lint()} reports them against the same target, in order
 * @param verdicts   in a measured plan, what the shadow database said of the findings that claim a rewrite, a
 *                   whole-table scan or a blocking lock: confirmed or overruled (see {@link Verdict})
 * @since 0.1
 */
public record DeployPlan(String target, List<Migration> migrations, boolean measured, List<String> warnings,
        List<LintFinding> findings, List<Verdict> verdicts) {

    public DeployPlan {
        Objects.requireNonNull(target, "target");
        migrations = List.copyOf(migrations);
        warnings = List.copyOf(warnings);
        findings = List.copyOf(findings);
        verdicts = List.copyOf(verdicts);
    }

    /** A plan without measured verdicts. */
    public DeployPlan(String target, List<Migration> migrations, boolean measured, List<String> warnings,
            List<LintFinding> findings) {
        this(target, migrations, measured, warnings, findings, List.of());
    }

    /** A plan without lint findings. */
    public DeployPlan(String target, List<Migration> migrations, boolean measured, List<String> warnings) {
        this(target, migrations, measured, warnings, List.of(), List.of());
    }

    /** What the measurement said of {@code finding}, if the plan was measured and the finding claims an effect. */
    public Optional<Verdict> verdictFor(LintFinding finding) {
        return verdicts.stream().filter(v -> v.finding().equals(finding)).findFirst();
    }

    /** The lint findings of one pending migration (by directory name), in line order. */
    public List<LintFinding> findingsFor(String migrationName) {
        return findings.stream().filter(f -> f.migration().equals(migrationName)).toList();
    }

    /**
     * The plan as text, as {@code tidemark plan} prints it and {@code mvn tidemark:plan} logs it: the pending
     * migrations in order, each with its transaction mode and why, its statements (file:line), what the shadow
     * database measured, its lint findings (severity, rule, file:line, message, safe form), and a summary line with
     * the finding counts. The database line and the warnings are left to the caller.
     *
     * @param measureHint the closing sentence of an unmeasured plan, saying how to measure it
     */
    public String toText(String measureHint) {
        StringBuilder text = new StringBuilder();
        if (upToDate()) {
            return text.append("No pending migration: deploy would do nothing.").toString();
        }
        text.append(migrations.size()).append(" pending migration(s), ").append(statementCount())
                .append(" statement(s)").append(measured ? ", measured on a shadow database" : "")
                .append(":\n");
        int blocking = 0;
        int rewriting = 0;
        int scanning = 0;
        int failed = 0;
        for (Migration migration : migrations) {
            boolean transactional = migration.mode() == TransactionMode.PER_MIGRATION;
            text.append('\n').append(migration.name()).append("  ")
                    .append(transactional ? "one transaction" : "autocommit, statement by statement").append(" (")
                    .append(migration.modeReason()).append(")\n");
            for (Statement statement : migration.statements()) {
                text.append("  ").append(migration.file()).append(':').append(statement.line()).append("  ")
                        .append(statement.firstLine()).append(statement.autocommit() ? "  [autocommit]" : "")
                        .append('\n');
                Effect effect = statement.effect();
                if (effect == null) {
                    if (measured) {
                        text.append("      not measured: an earlier statement failed\n");
                    }
                    continue;
                }
                for (String finding : effect.findings()) {
                    text.append("      ").append(finding).append('\n');
                }
                if (!effect.measured()) {
                    text.append("      ran outside a transaction, as deploy runs it: its locks and scans are"
                            + " released before they can be read\n");
                }
                text.append("      ").append(millis(effect.duration())).append(" on the shadow database");
                if (effect.estimate() != null) {
                    text.append("; on the target ").append(magnitude(effect.estimate())).append(" (")
                            .append(effect.estimateBasis()).append(')');
                }
                text.append('\n');
                blocking += effect.locks().stream().anyMatch(l -> l.blocks() != null
                        && (l.blocks().startsWith("blocks reads") || l.blocks().startsWith("blocks writes"))) ? 1 : 0;
                rewriting += effect.rewrites().isEmpty() ? 0 : 1;
                scanning += effect.scans().isEmpty() ? 0 : 1;
                failed += effect.error() == null ? 0 : 1;
            }
            List<LintFinding> own = findingsFor(migration.name());
            if (!own.isEmpty()) {
                text.append("  lint:\n");
            }
            for (LintFinding finding : own) {
                text.append("    ").append(finding.severity().name().toLowerCase(Locale.ROOT)).append(' ')
                        .append(finding.ruleId()).append("  ").append(finding.file()).append(':')
                        .append(finding.line()).append("  ").append(finding.message()).append('\n');
                verdictFor(finding).ifPresent(v -> text.append("      measured: ")
                        .append(v.outcome().name().toLowerCase(Locale.ROOT)).append(", ").append(v.evidence())
                        .append('\n'));
                if (finding.safeForm() != null && !finding.safeForm().isBlank()) {
                    text.append("      safe form: ").append(finding.safeForm().strip().replace("\n", "\n      "))
                            .append('\n');
                }
            }
        }
        text.append('\n');
        int errors = 0;
        int warns = 0;
        for (LintFinding finding : findings) {
            if (finding.severity() == LintSeverity.ERROR) {
                errors++;
            } else if (finding.severity() == LintSeverity.WARNING) {
                warns++;
            }
        }
        text.append("Lint: ").append(findings.size()).append(" finding(s): ").append(errors).append(" error(s), ")
                .append(warns).append(" warning(s), ").append(findings.size() - errors - warns)
                .append(" info")
                .append(measured ? "; measured on the shadow database: " + count(Verdict.Outcome.CONFIRMED)
                        + " confirmed, " + count(Verdict.Outcome.OVERRULED) + " overruled" : "")
                .append(".\n");
        if (measured) {
            text.append("Summary: ").append(blocking).append(" statement(s) block reads or writes, ")
                    .append(rewriting).append(" rewrite a table, ").append(scanning).append(" scan a whole table")
                    .append(failed == 0 ? "" : ", " + failed + " failed on the shadow database").append(".\n")
                    .append("A migration that runs in one transaction holds every lock it took until it commits.");
        } else {
            text.append(measureHint);
        }
        return text.toString();
    }

    private long count(Verdict.Outcome outcome) {
        return verdicts.stream().filter(v -> v.outcome() == outcome).count();
    }

    private static String millis(Duration duration) {
        long micros = duration.toNanos() / 1000;
        return micros < 1000 ? "<1 ms" : micros / 1000 + " ms";
    }

    private static String magnitude(Duration estimate) {
        long seconds = estimate.toSeconds();
        if (seconds == 0) {
            return "under a second";
        }
        if (seconds < 60) {
            return "~" + seconds + " s";
        }
        if (seconds < 3600) {
            return "~" + seconds + " s (" + (seconds / 60) + " min)";
        }
        return "~" + seconds + " s (" + (seconds / 3600) + " h)";
    }

    /**
     * What the shadow database measured of a lint finding that claims an effect: a rewrite
     * ({@code type-change-rewrites}, {@code add-column-volatile-default}), a whole-table scan
     * ({@code constraint-without-not-valid}, {@code set-not-null}) or a lock that blocks reads or writes
     * ({@code create-index-not-concurrent}, {@code drop-index-not-concurrent}, {@code constraint-without-index}).
     * A rewrite or scan claim is confirmed or overruled by what its statement did; a lock claim is only confirmed, since
     * a lock the migration's transaction already holds is not taken again. The shadow database holds what the migrations
     * built, so a table changed outside them can behave otherwise on the target.
     *
     * @param finding  the static finding
     * @param outcome  whether the measurement agrees
     * @param evidence what was measured, as "rewrites child" or "no table rewritten: the server changed only the
     *                 catalog"
     */
    public record Verdict(LintFinding finding, Outcome outcome, String evidence) {

        public Verdict {
            Objects.requireNonNull(finding, "finding");
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(evidence, "evidence");
        }

        /** Whether the measurement agrees with the finding. */
        public enum Outcome {
            /** The statement did what the rule says. */
            CONFIRMED,
            /** The statement did not: a metadata-only type change, a NOT NULL proven by an existing constraint. */
            OVERRULED
        }
    }

    /** The number of statements deploy would run. */
    public int statementCount() {
        return migrations.stream().mapToInt(m -> m.statements().size()).sum();
    }

    /** Whether nothing is pending. */
    public boolean upToDate() {
        return migrations.isEmpty();
    }

    /** How deploy groups a migration's statements into transactions. */
    public enum TransactionMode {
        /** One transaction for the whole migration (the default). */
        PER_MIGRATION,
        /** Autocommit, statement by statement (BEGIN ... COMMIT blocks of the file run as one transaction). */
        NONE
    }

    /**
     * One pending migration.
     *
     * @param name       the directory name
     * @param file       the path of its {@code migration.sql}
     * @param state      {@link MigrationState#PENDING} or {@link MigrationState#ROLLED_BACK}
     * @param mode       its transaction mode
     * @param modeReason why: the directive, or the statement (with its line) that forced autocommit, or the default
     * @param statements the statements deploy runs, in order
     */
    public record Migration(String name, String file, MigrationState state, TransactionMode mode, String modeReason,
            List<Statement> statements) {

        public Migration {
            statements = List.copyOf(statements);
        }
    }

    /**
     * One statement of a pending migration.
     *
     * @param line       its first line in the file (1-based)
     * @param sql        its text
     * @param autocommit whether deploy runs it outside any transaction (it refuses one, or may commit itself)
     * @param effect     what it did on the shadow database; null when the plan was not measured, or measuring stopped
     *                   at an earlier failure
     */
    public record Statement(int line, String sql, boolean autocommit, Effect effect) {

        /** The first line of the statement's text, for listings. */
        public String firstLine() {
            String stripped = sql.strip();
            int newline = stripped.indexOf('\n');
            return newline < 0 ? stripped : stripped.substring(0, newline).stripTrailing() + " ...";
        }
    }

    /**
     * A relation lock a statement took on a relation that existed before its migration began (locks on relations the
     * migration itself creates block nobody).
     *
     * @param relation the relation, schema-qualified outside the target schema
     * @param kind     {@code table}, {@code index}, {@code sequence}, {@code view}, ...
     * @param mode     PostgreSQL's name for the mode, such as {@code AccessExclusiveLock}
     */
    public record Lock(String relation, String kind, String mode) {

        /** The mode as the documentation writes it, such as {@code ACCESS EXCLUSIVE}. */
        public String modeName() {
            String bare = mode.endsWith("Lock") ? mode.substring(0, mode.length() - 4) : mode;
            return bare.replaceAll("([a-z])([A-Z])", "$1 $2").toUpperCase(Locale.ROOT);
        }

        /** What the lock keeps others from doing while it is held, or null for modes that block only DDL. */
        public String blocks() {
            return switch (mode) {
                case "AccessExclusiveLock" -> "blocks reads and writes of " + relation;
                case "ExclusiveLock", "ShareRowExclusiveLock", "ShareLock" -> "blocks writes of " + relation;
                case "ShareUpdateExclusiveLock" -> "blocks schema changes and VACUUM of " + relation;
                default -> null;
            };
        }
    }

    /**
     * What a statement did on the shadow database.
     *
     * @param measured      whether it ran inside a transaction, where its locks and scans can be read after it; false
     *                      for statements deploy runs in autocommit (their locks are released before they can be read,
     *                      so {@code locks} and {@code scans} are empty and say nothing)
     * @param locks         the locks it took, strongest first (see {@link Lock})
     * @param rewrites      the tables whose data files it replaced (their {@code relfilenode} changed)
     * @param scans         the tables it read in full (sequential scans in {@code pg_stat_xact_user_tables})
     * @param duration      how long it took on the shadow database, whose tables are empty
     * @param estimate      an order of magnitude for the real tables, from the target's {@code pg_class} sizes; null
     *                      when it neither rewrites nor scans an existing table
     * @param estimateBasis what the estimate is based on, such as {@code "User": 1.2 GB, ~10M rows}
     * @param error         the error it failed with on the shadow database (deploy would fail there too), else null
     */
    public record Effect(boolean measured, List<Lock> locks, List<String> rewrites, List<String> scans,
            Duration duration, Duration estimate, String estimateBasis, String error) {

        public Effect {
            locks = List.copyOf(locks);
            rewrites = List.copyOf(rewrites);
            scans = List.copyOf(scans);
        }

        /**
         * The findings as sentences: "blocks reads and writes of X (ACCESS EXCLUSIVE)", "blocks writes of X (SHARE)",
         * "rewrites X", "scans X".
         */
        public List<String> findings() {
            List<String> out = new ArrayList<>();
            if (error != null) {
                out.add("fails on the shadow database: " + error);
            }
            for (Lock lock : locks) {
                if (lock.blocks() != null) {
                    out.add(lock.blocks() + " (" + lock.modeName() + ")");
                }
            }
            rewrites.forEach(r -> out.add("rewrites " + r));
            scans.forEach(s -> out.add("scans " + s));
            return out;
        }
    }
}
