package dev.tidemark;

import dev.tidemark.internal.lint.LintEngine;
import dev.tidemark.internal.lint.LintTargets;
import dev.tidemark.internal.lint.Rules;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Static analysis of migrations without a database ({@code tidemark lint --all} or with paths): folders, migration
 * directories and {@code .sql} files. {@link Migrator#lint(Lint)} lints the pending migrations of a database with the
 * same settings, adding what the target's catalog says.
 *
 * <pre>{@code
 * LintReport report = Lint.builder().pgVersion(16).enable("varchar-length").build()
 *         .lint(List.of(Path.of("prisma/migrations")));
 * }</pre>
 *
 * @since 0.1
 */
public final class Lint {

    /** The PostgreSQL major version assumed when none is given and no database is read. */
    public static final int DEFAULT_PG_VERSION = 15;

    private final int pgVersion;
    private final Set<String> rules;

    private Lint(Builder b) {
        this.pgVersion = b.pgVersion;
        this.rules = LintEngine.rules(b.enable, b.disable);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The default settings: the rules on by default, the version of the database or {@value #DEFAULT_PG_VERSION}. */
    public static Lint defaults() {
        return builder().build();
    }

    /** Every rule, in the README's order, with its severity, whether it is on by default, and its texts. */
    public static List<LintRule> rules() {
        return Rules.all();
    }

    /** The PostgreSQL major version set with {@link Builder#pgVersion(int)}, or 0 when none was. */
    public int pgVersion() {
        return pgVersion;
    }

    /** The ids of the rules that run. */
    public Set<String> ruleIds() {
        return rules;
    }

    /**
     * Lints each path: a migrations folder (all its migrations, in order), a migration directory or its
     * {@code migration.sql} (the folder's earlier migrations are read for state, not reported), or a {@code .sql}
     * file.
     *
     * @throws TidemarkException for a missing path, a script the server could not split, a bad suppression
     */
    public LintReport lint(List<Path> paths) {
        LintEngine engine = new LintEngine(rules, effectiveVersion(0));
        for (Path path : paths) {
            LintTargets.path(engine, path);
        }
        return engine.report();
    }

    /** Lints every migration of a migrations location ({@link Migrator.Builder#location(String)}'s forms). */
    public LintReport lintFolder(String location) {
        LintEngine engine = new LintEngine(rules, effectiveVersion(0));
        LintTargets.folder(engine, location, Thread.currentThread().getContextClassLoader() != null
                ? Thread.currentThread().getContextClassLoader() : Lint.class.getClassLoader());
        return engine.report();
    }

    /** The version set, else the server's (when known, else 0), else {@value #DEFAULT_PG_VERSION}. */
    int effectiveVersion(int server) {
        return pgVersion > 0 ? pgVersion : server > 0 ? server : DEFAULT_PG_VERSION;
    }

    /**
     * Configures a {@link Lint}.
     *
     * @since 0.1
     */
    public static final class Builder {
        private int pgVersion;
        private final Set<String> enable = new LinkedHashSet<>();
        private final Set<String> disable = new LinkedHashSet<>();

        private Builder() {
        }

        /** The PostgreSQL major version the rules assume; default the target's, else {@value #DEFAULT_PG_VERSION}. */
        public Builder pgVersion(int pgVersion) {
            this.pgVersion = pgVersion;
            return this;
        }

        /** Turns rules on, such as the hygiene rules that are off by default. */
        public Builder enable(String... ruleIds) {
            enable.addAll(Arrays.asList(ruleIds));
            return this;
        }

        /** Turns rules off. */
        public Builder disable(String... ruleIds) {
            disable.addAll(Arrays.asList(ruleIds));
            return this;
        }

        public Lint build() {
            if (pgVersion != 0 && (pgVersion < 9 || pgVersion > 99)) {
                throw new TidemarkException(ErrorCode.CONFIGURATION_INVALID, "The PostgreSQL version " + pgVersion
                        + " is not a major version such as 15.");
            }
            for (Set<String> ids : List.of(enable, disable)) {
                for (String id : ids) {
                    if (Rules.get(id) == null) {
                        throw new TidemarkException(ErrorCode.CONFIGURATION_INVALID, "'" + id + "' is not a lint"
                                + " rule. The rules are listed by 'tidemark lint --list-rules' and in the README.");
                    }
                }
            }
            return new Lint(this);
        }
    }
}
