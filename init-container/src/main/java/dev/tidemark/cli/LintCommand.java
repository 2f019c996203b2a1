package dev.tidemark.cli;

import dev.tidemark.Lint;
import dev.tidemark.LintFinding;
import dev.tidemark.LintReport;
import dev.tidemark.LintRule;
import dev.tidemark.LintSeverity;
import dev.tidemark.TidemarkException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "lint", description = {
        "Static analysis of migrations: locks and rewrites, changes that break the running application, backfills,"
                + " statements that cannot be re-run (rules: --list-rules, or the README).",
        "Default: the pending migrations against " + Settings.DATABASE_URL + " (read only: the history and the"
                + " catalog). --all, or files and folders as arguments, need no database."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:no finding at or above --fail-on", "2:findings at or above --fail-on",
                "1:error (bad option, unreadable file, unknown rule in a suppression, database error)"})
final class LintCommand extends DatabaseCommand {

    /** The exit code when findings at or above {@code --fail-on} were found. */
    static final int FINDINGS = 2;

    enum Format { TEXT, JSON, SARIF, GITHUB }

    @Parameters(paramLabel = "PATH", arity = "0..*",
            description = "Migrations folders, migration directories or .sql files (no database needed). A"
                    + " migration.sql is linted with the state its folder's earlier migrations build.")
    List<Path> paths = new ArrayList<>();

    @Option(names = "--all", description = "Lint every migration of the migrations folder, without a database.")
    boolean all;

    @Option(names = "--format", paramLabel = "text|json|sarif|github",
            description = "text (grouped by migration), json (schemaVersion 1), sarif (SARIF 2.1.0) or github"
                    + " (workflow commands); default github when GITHUB_ACTIONS=true, else text.")
    Format format;

    @Option(names = "--fail-on", paramLabel = "info|warning|error", defaultValue = "error",
            description = "Exit 2 when a finding has this severity or above (default error).")
    String failOn;

    @Option(names = "--enable", paramLabel = "RULE", split = ",",
            description = "Turn on rules that are off by default (the hygiene rules); repeatable or comma-separated.")
    List<String> enable = new ArrayList<>();

    @Option(names = "--disable", paramLabel = "RULE", split = ",",
            description = "Turn rules off; repeatable or comma-separated.")
    List<String> disable = new ArrayList<>();

    @Option(names = "--pg-version", paramLabel = "N",
            description = "The PostgreSQL major version the rules assume (default the target's; without a"
                    + " database " + Lint.DEFAULT_PG_VERSION + ").")
    Integer pgVersion;

    @Option(names = "--list-rules", description = "Print the rules (id, severity, default, title) and exit.")
    boolean listRules;

    LintCommand(CliContext context) {
        super(context);
    }

    @Override
    int execute() {
        Format chosen = format != null ? format
                : "true".equalsIgnoreCase(context.env("GITHUB_ACTIONS")) ? Format.GITHUB : Format.TEXT;
        if (listRules) {
            printRules(chosen);
            return ExitCodes.SUCCESS;
        }
        LintSeverity threshold;
        Lint lint;
        try {
            threshold = LintSeverity.parse(failOn);
            Lint.Builder builder = Lint.builder().enable(enable.toArray(String[]::new))
                    .disable(disable.toArray(String[]::new));
            if (pgVersion != null) {
                builder.pgVersion(pgVersion);
            }
            lint = builder.build();
        } catch (TidemarkException e) {
            throw new CliFailure(ExitCodes.FAILURE, withoutCode(e));
        }
        LintReport report;
        if (!paths.isEmpty()) {
            report = lint.lint(paths);
        } else if (all) {
            report = lint.lintFolder(migrationsLocation());
        } else {
            report = migrator().lint(lint);
        }
        switch (chosen) {
            case JSON -> context.print(json(report, threshold));
            case SARIF -> context.print(Sarif.log(report));
            case GITHUB -> report.findings().forEach(f -> context.print(github(f)));
            default -> context.print(text(report, threshold));
        }
        return report.atOrAbove(threshold).isEmpty() ? ExitCodes.SUCCESS : FINDINGS;
    }

    private void printRules(Format chosen) {
        if (chosen == Format.JSON) {
            List<Json> rules = new ArrayList<>();
            for (LintRule r : Lint.rules()) {
                rules.add(Json.object().field("id", r.id()).field("category", r.category())
                        .field("severity", r.severity().label()).field("onByDefault", r.onByDefault())
                        .field("title", r.title()).field("explanation", r.explanation())
                        .field("safeForm", r.safeForm()));
            }
            context.print(Json.object().field("schemaVersion", 1).objects("rules", rules).toString());
            return;
        }
        StringBuilder out = new StringBuilder();
        for (LintRule r : Lint.rules()) {
            out.append(String.format(Locale.ROOT, "%-30s %-8s %-4s %s%n", r.id(), r.severity().label(),
                    r.onByDefault() ? "on" : "off", r.title()));
        }
        context.print(out.toString().stripTrailing());
    }

    static String text(LintReport report, LintSeverity threshold) {
        StringBuilder out = new StringBuilder();
        String migration = null;
        for (LintFinding f : report.findings()) {
            if (!f.migration().equals(migration)) {
                migration = f.migration();
                out.append(out.length() == 0 ? "" : "\n").append(migration).append('\n');
            }
            out.append("  ").append(f.file()).append(':').append(f.line()).append(':').append(f.column())
                    .append(": ").append(f.severity().label()).append(' ').append(f.ruleId()).append(": ")
                    .append(f.message()).append('\n')
                    .append("    safe form: ").append(f.safeForm()).append('\n');
        }
        Map<LintSeverity, Integer> counts = counts(report);
        out.append(out.length() == 0 ? "" : "\n").append(report.findings().isEmpty() ? "No findings"
                : report.findings().size() + (report.findings().size() == 1 ? " finding" : " findings") + " ("
                        + counts.get(LintSeverity.ERROR) + " error, " + counts.get(LintSeverity.WARNING)
                        + " warning, " + counts.get(LintSeverity.INFO) + " info)")
                .append(" in ").append(report.migrations().size()).append(" migration(s), ")
                .append(report.statements()).append(" statement(s)")
                .append(report.suppressed() > 0 ? ", " + report.suppressed() + " suppressed" : "")
                .append("; PostgreSQL ").append(report.pgVersion()).append(" assumed; failing on ")
                .append(threshold.label()).append(" and above: ").append(report.atOrAbove(threshold).size())
                .append('.');
        return out.toString();
    }

    static String json(LintReport report, LintSeverity threshold) {
        List<Json> findings = new ArrayList<>();
        for (LintFinding f : report.findings()) {
            findings.add(Json.object().field("rule", f.ruleId()).field("severity", f.severity().label())
                    .field("migration", f.migration()).field("file", f.file()).field("line", f.line())
                    .field("column", f.column()).field("message", f.message()).field("safeForm", f.safeForm()));
        }
        Map<LintSeverity, Integer> counts = counts(report);
        Json byRule = Json.object();
        report.countsByRule().forEach((rule, n) -> byRule.field(rule, n));
        return Json.object()
                .field("schemaVersion", 1)
                .field("command", "lint")
                .field("pgVersion", report.pgVersion())
                .strings("migrations", report.migrations())
                .field("statements", report.statements())
                .field("suppressed", report.suppressed())
                .field("failOn", threshold.label())
                .field("failed", !report.atOrAbove(threshold).isEmpty())
                .field("counts", Json.object().field("error", counts.get(LintSeverity.ERROR))
                        .field("warning", counts.get(LintSeverity.WARNING)).field("info", counts.get(LintSeverity.INFO)))
                .field("countsByRule", byRule)
                .objects("findings", findings)
                .toString();
    }

    /** A GitHub Actions workflow command: an annotation on the file and line. */
    static String github(LintFinding f) {
        String level = switch (f.severity()) {
            case ERROR -> "error";
            case WARNING -> "warning";
            default -> "notice";
        };
        return "::" + level + " file=" + property(f.file().replace('\\', '/')) + ",line=" + f.line() + ",col="
                + f.column() + ",title=" + property("tidemark " + f.ruleId()) + "::"
                + data(f.message() + " Safe form: " + f.safeForm());
    }

    private static String data(String value) {
        return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
    }

    private static String property(String value) {
        return data(value).replace(":", "%3A").replace(",", "%2C");
    }

    private static Map<LintSeverity, Integer> counts(LintReport report) {
        Map<LintSeverity, Integer> counts = new LinkedHashMap<>();
        for (LintSeverity s : LintSeverity.values()) {
            counts.put(s, 0);
        }
        report.findings().forEach(f -> counts.merge(f.severity(), 1, Integer::sum));
        return counts;
    }
}
