package dev.tidemark.cli;

import dev.tidemark.DeployPlan;
import dev.tidemark.LintFinding;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "plan", description = {
        "Shows what deploy would do, changing nothing: the pending migrations in order, each statement with its file"
                + " and line, and each migration's transaction mode and why, and its lint findings. Takes no lock.",
        "With --measure, the applied migrations are replayed on a temporary shadow database and the pending ones"
                + " run there statement by statement, reporting the locks, rewrites and full-table scans each"
                + " statement caused, and an order of magnitude for the real tables.",
        "Exit codes: 0 the plan was printed, 1 failure (2 usage error, 5 database unreachable)."})
final class PlanCommand extends DatabaseCommand {

    /** The version of the JSON document; it changes only when a field changes meaning or is removed. */
    static final int FORMAT_VERSION = 1;

    @Option(names = "--measure",
            description = "Run the pending migrations on a temporary shadow database created beside DATABASE_URL"
                    + " (needs the CREATEDB privilege; dropped afterwards, or by the next plan --measure if this one"
                    + " is killed) and report what each statement locked, rewrote and scanned.")
    boolean measure;

    @Option(names = "--format", paramLabel = "text|json", defaultValue = "text",
            description = "The plan on standard output as text or as one JSON object (default text; the JSON"
                    + " document is versioned by its formatVersion field).")
    OutputFormat format;

    PlanCommand(CliContext context) {
        super(context);
    }

    @Override
    boolean jsonOutput() {
        return format == OutputFormat.JSON;
    }

    @Override
    int execute() {
        DeployPlan plan = migrator().plan(measure);
        context.print(jsonOutput() ? json(plan).toString() : text(plan));
        return ExitCodes.SUCCESS;
    }

    static Json json(DeployPlan plan) {
        List<Json> migrations = new ArrayList<>();
        for (DeployPlan.Migration migration : plan.migrations()) {
            List<Json> statements = new ArrayList<>();
            for (DeployPlan.Statement statement : migration.statements()) {
                Json json = Json.object()
                        .field("line", statement.line())
                        .field("sql", statement.sql())
                        .field("autocommit", statement.autocommit());
                if (statement.effect() == null) {
                    json.field("effect", (String) null);
                } else {
                    json.field("effect", effect(statement.effect()));
                }
                statements.add(json);
            }
            migrations.add(Json.object()
                    .field("name", migration.name())
                    .field("file", migration.file())
                    .field("state", migration.state().name())
                    .field("transactionMode", migration.mode().name())
                    .field("modeReason", migration.modeReason())
                    .objects("statements", statements)
                    .objects("findings", findings(plan, plan.findingsFor(migration.name()))));
        }
        return Json.object()
                .field("command", "plan")
                .field("success", true)
                .field("formatVersion", FORMAT_VERSION)
                .field("target", plan.target())
                .field("measured", plan.measured())
                .field("upToDate", plan.upToDate())
                .field("statementCount", plan.statementCount())
                .strings("warnings", plan.warnings())
                .objects("migrations", migrations)
                .objects("findings", findings(plan, plan.findings()));
    }

    private static List<Json> findings(DeployPlan plan, List<LintFinding> findings) {
        List<Json> out = new ArrayList<>();
        for (LintFinding finding : findings) {
            Json verdict = plan.verdictFor(finding).map(v -> Json.object()
                    .field("outcome", v.outcome().name().toLowerCase(Locale.ROOT))
                    .field("evidence", v.evidence())).orElse(null);
            out.add(Json.object()
                    .field("rule", finding.ruleId())
                    .field("severity", finding.severity().name().toLowerCase(Locale.ROOT))
                    .field("migration", finding.migration())
                    .field("file", finding.file())
                    .field("line", finding.line())
                    .field("column", finding.column())
                    .field("message", finding.message())
                    .field("safeForm", finding.safeForm())
                    .field("measured", verdict));
        }
        return out;
    }

    private static Json effect(DeployPlan.Effect effect) {
        List<Json> locks = new ArrayList<>();
        for (DeployPlan.Lock lock : effect.locks()) {
            locks.add(Json.object()
                    .field("relation", lock.relation())
                    .field("kind", lock.kind())
                    .field("mode", lock.mode())
                    .field("modeName", lock.modeName())
                    .field("blocks", lock.blocks()));
        }
        return Json.object()
                .field("measured", effect.measured())
                .objects("locks", locks)
                .strings("rewrites", effect.rewrites())
                .strings("scans", effect.scans())
                .field("durationMicros", effect.duration().toNanos() / 1000)
                .field("estimateSeconds", effect.estimate() == null ? null : effect.estimate().toSeconds())
                .field("estimateBasis", effect.estimateBasis())
                .field("error", effect.error())
                .strings("findings", effect.findings());
    }

    private String text(DeployPlan plan) {
        StringBuilder text = new StringBuilder("Database: ").append(describeDatabase()).append('\n');
        for (String warning : plan.warnings()) {
            text.append("Warning: ").append(warning).append('\n');
        }
        return text.append(plan.toText("Run 'tidemark plan --measure' to see what each statement locks, rewrites"
                + " and scans.")).toString();
    }
}
