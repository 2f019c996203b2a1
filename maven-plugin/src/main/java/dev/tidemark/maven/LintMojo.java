package dev.tidemark.maven;

import dev.tidemark.Lint;
import dev.tidemark.LintFinding;
import dev.tidemark.LintReport;
import dev.tidemark.LintSeverity;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

import java.util.Arrays;
import java.util.List;

/**
 * Static analysis of migrations (the CLI's {@code tidemark lint}): by default the pending migrations against the
 * database (reads the history and the catalog only; no lock, no history table created), with {@code all} every
 * migration of the folder without a database. Logs each finding with its file, line and safe form, and fails the
 * build when one has severity {@code failOn} or above. Bound to {@code verify} by default.
 */
@Mojo(name = "lint", defaultPhase = LifecyclePhase.VERIFY, requiresProject = false, threadSafe = true)
public class LintMojo extends TidemarkMojo {

    /** Fail the build when a finding has this severity or above: {@code info}, {@code warning} or {@code error}. */
    @Parameter(property = "tidemark.failOn", defaultValue = "error")
    String failOn;

    /** Lint every migration of the folder, without a database (default false: the pending ones, against it). */
    @Parameter(property = "tidemark.all", defaultValue = "false")
    boolean all;

    /** Rules to turn on (the hygiene rules are off by default), comma-separated. */
    @Parameter(property = "tidemark.enable")
    String enable;

    /** Rules to turn off, comma-separated. */
    @Parameter(property = "tidemark.disable")
    String disable;

    /** The PostgreSQL major version the rules assume (default the database's; with {@code all}, 15). */
    @Parameter(property = "tidemark.pgVersion")
    Integer pgVersion;

    @Override
    String goal() {
        return "lint";
    }

    @Override
    void run() throws MojoExecutionException, MojoFailureException {
        LintSeverity threshold = LintSeverity.parse(failOn);
        Lint.Builder settings = Lint.builder().enable(ids(enable)).disable(ids(disable));
        if (pgVersion != null) {
            settings.pgVersion(pgVersion);
        }
        Lint lint = settings.build();
        LintReport report = all ? lintFolder(lint) : builder().build().lint(lint);
        for (LintFinding f : report.findings()) {
            String line = f.file() + ":" + f.line() + ":" + f.column() + ": " + f.severity().label() + " "
                    + f.ruleId() + ": " + f.message() + "\n    safe form: " + f.safeForm();
            if (f.severity() == LintSeverity.INFO) {
                info(line);
            } else if (f.severity() == LintSeverity.WARNING) {
                warn(line);
            } else {
                for (String part : mask(line).split("\n", -1)) {
                    getLog().error(part);
                }
            }
        }
        List<LintFinding> failing = report.atOrAbove(threshold);
        String summary = summary(report, threshold, failing.size());
        if (failing.isEmpty()) {
            info(summary);
            return;
        }
        LintFinding first = failing.get(0);
        throw new MojoFailureException(mask(summary + " The first: " + first.file() + ":" + first.line() + " ("
                + first.ruleId() + "). Write the statement in its safe form (logged above), suppress a finding you"
                + " accept with '-- tidemark:lint-ignore " + first.ruleId() + " reason' on the line before the"
                + " statement, or raise failOn (-Dtidemark.failOn=...)."));
    }

    /**
     * Every migration of the location; a {@code classpath:} one is looked up in the project's resource directories
     * (the core resolves it with the context class loader).
     */
    private LintReport lintFolder(Lint lint) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(resourcesClassLoader());
        try {
            return lint.lintFolder(resolvedLocation());
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static String summary(LintReport report, LintSeverity threshold, int failing) {
        int errors = 0;
        int warnings = 0;
        int infos = 0;
        for (LintFinding f : report.findings()) {
            switch (f.severity()) {
                case ERROR -> errors++;
                case WARNING -> warnings++;
                default -> infos++;
            }
        }
        int count = report.findings().size();
        return (count == 0 ? "No lint findings" : count + (count == 1 ? " lint finding" : " lint findings") + " ("
                + errors + " error, " + warnings + " warning, " + infos + " info)") + " in "
                + report.migrations().size() + " migration(s), " + report.statements() + " statement(s)"
                + (report.suppressed() > 0 ? ", " + report.suppressed() + " suppressed" : "") + "; PostgreSQL "
                + report.pgVersion() + " assumed; " + failing + " at or above " + threshold.label() + " (failOn).";
    }

    private static String[] ids(String list) {
        if (list == null || list.isBlank()) {
            return new String[0];
        }
        return Arrays.stream(list.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toArray(String[]::new);
    }
}
