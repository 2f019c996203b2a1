package dev.tidemark.cli;

import dev.tidemark.Lint;
import dev.tidemark.LintFinding;
import dev.tidemark.LintReport;
import dev.tidemark.LintRule;
import dev.tidemark.LintSeverity;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code lint --format sarif}: one SARIF 2.1.0 log, one run, every rule described, one result per finding. */
final class Sarif {

    static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

    private Sarif() {
    }

    static String log(LintReport report) {
        List<Json> rules = new ArrayList<>();
        Map<String, Integer> index = new HashMap<>();
        for (LintRule r : Lint.rules()) {
            index.put(r.id(), rules.size());
            rules.add(Json.object()
                    .field("id", r.id())
                    .field("name", r.title())
                    .field("shortDescription", text(r.title()))
                    .field("fullDescription", text(r.explanation()))
                    .field("help", text("Safe form: " + r.safeForm()))
                    .field("defaultConfiguration", Json.object().field("level", level(r.severity()))
                            .field("enabled", r.onByDefault()))
                    .field("properties", Json.object().field("category", r.category())));
        }
        List<Json> results = new ArrayList<>();
        for (LintFinding f : report.findings()) {
            results.add(Json.object()
                    .field("ruleId", f.ruleId())
                    .field("ruleIndex", index.get(f.ruleId()))
                    .field("level", level(f.severity()))
                    .field("message", text(f.message() + " Safe form: " + f.safeForm()))
                    .objects("locations", List.of(Json.object().field("physicalLocation", Json.object()
                            .field("artifactLocation", Json.object().field("uri", uri(f.file())))
                            .field("region", Json.object().field("startLine", f.line())
                                    .field("startColumn", f.column())))))
                    .field("properties", Json.object().field("migration", f.migration())));
        }
        Json run = Json.object()
                .field("tool", Json.object().field("driver", Json.object()
                        .field("name", "tidemark")
                        .objects("rules", rules)))
                .objects("results", results)
                .field("properties", Json.object().field("pgVersion", report.pgVersion())
                        .field("statements", report.statements()).field("suppressed", report.suppressed()));
        return Json.object()
                .field("$schema", SCHEMA)
                .field("version", "2.1.0")
                .objects("runs", List.of(run))
                .toString();
    }

    private static Json text(String text) {
        return Json.object().field("text", text);
    }

    private static String level(LintSeverity severity) {
        return switch (severity) {
            case ERROR -> "error";
            case WARNING -> "warning";
            default -> "note";
        };
    }

    /** The file as a URI reference: relative to the working directory when under it (as code scanning expects). */
    static String uri(String file) {
        Path path = Path.of(file);
        Path cwd = Path.of("").toAbsolutePath();
        Path absolute = path.toAbsolutePath().normalize();
        if (absolute.startsWith(cwd)) {
            path = cwd.relativize(absolute);
        } else if (path.isAbsolute()) {
            return absolute.toUri().toString();
        }
        try {
            return new URI(null, null, path.toString().replace('\\', '/'), null).toASCIIString();
        } catch (URISyntaxException e) {
            return absolute.toUri().toString();
        }
    }
}
