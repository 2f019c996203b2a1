package dev.tidemark;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The result of a lint: the findings in file order, and how much was read.
 *
 * @param findings   the findings, by migration in order, then by line
 * @param migrations the names of the migrations linted, in order
 * @param statements how many statements were linted
 * @param suppressed how many findings {@code -- tidemark:lint-ignore} comments suppressed
 * @param pgVersion  the PostgreSQL major version the rules assumed
 * @since 0.1
 */
public record LintReport(List<LintFinding> findings, List<String> migrations, int statements, int suppressed,
        int pgVersion) {

    public LintReport {
        findings = List.copyOf(findings);
        migrations = List.copyOf(migrations);
    }

    /** The findings of severity {@code threshold} or above. */
    public List<LintFinding> atOrAbove(LintSeverity threshold) {
        return findings.stream().filter(f -> f.severity().compareTo(threshold) >= 0).toList();
    }

    /** How many findings each rule produced, by rule id (rules without findings are absent). */
    public Map<String, Integer> countsByRule() {
        Map<String, Integer> counts = new TreeMap<>();
        for (LintFinding finding : findings) {
            counts.merge(finding.ruleId(), 1, Integer::sum);
        }
        return counts;
    }
}
