package dev.tidemark.internal.plan;

import dev.tidemark.DeployPlan;
import dev.tidemark.DeployPlan.Verdict;
import dev.tidemark.DeployPlan.Verdict.Outcome;
import dev.tidemark.LintFinding;
import dev.tidemark.internal.lint.Rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Holds the static findings that claim an effect against what their statement did on the shadow database: the
 * measured fact wins (a type change the server does in the catalog is no rewrite; a NOT NULL an existing valid
 * constraint proves needs no scan).
 */
final class Verdicts {

    private static final Set<String> REWRITE_CLAIMS = Set.of(Rules.TYPE_REWRITE, Rules.VOLATILE_DEFAULT);
    private static final Set<String> SCAN_CLAIMS = Set.of(Rules.CONSTRAINT_NOT_VALID, Rules.SET_NOT_NULL);
    private static final Set<String> LOCK_CLAIMS = Set.of(Rules.CREATE_INDEX, Rules.DROP_INDEX,
            Rules.UNIQUE_WITHOUT_INDEX);

    private Verdicts() {
    }

    static List<Verdict> of(List<LintFinding> findings, List<DeployPlan.Migration> migrations) {
        List<Verdict> verdicts = new ArrayList<>();
        for (LintFinding finding : findings) {
            DeployPlan.Effect effect = effectAt(finding, migrations);
            if (effect == null || !effect.measured() || effect.error() != null) {
                continue; // not run in a transaction (its locks and scans are gone), or it failed there
            }
            String rule = finding.ruleId();
            if (REWRITE_CLAIMS.contains(rule)) {
                verdicts.add(effect.rewrites().isEmpty()
                        ? new Verdict(finding, Outcome.OVERRULED, "no table rewritten: the server changed only the"
                                + " catalog")
                        : new Verdict(finding, Outcome.CONFIRMED, "rewrites " + String.join(", ", effect.rewrites())));
            } else if (SCAN_CLAIMS.contains(rule)) {
                verdicts.add(effect.scans().isEmpty()
                        ? new Verdict(finding, Outcome.OVERRULED, "no table scanned: the server did not need to"
                                + " check the existing rows")
                        : new Verdict(finding, Outcome.CONFIRMED, "scans " + String.join(", ", effect.scans())));
            } else if (LOCK_CLAIMS.contains(rule)) {
                effect.locks().stream().filter(l -> l.blocks() != null).findFirst().ifPresent(lock -> verdicts.add(
                        new Verdict(finding, Outcome.CONFIRMED, lock.blocks() + " (" + lock.modeName() + ")")));
            }
        }
        return verdicts;
    }

    /** The measured effect of the statement the finding is in: the last one starting at or before its line. */
    private static DeployPlan.Effect effectAt(LintFinding finding, List<DeployPlan.Migration> migrations) {
        for (DeployPlan.Migration migration : migrations) {
            if (!migration.name().equals(finding.migration())) {
                continue;
            }
            DeployPlan.Statement found = null;
            for (DeployPlan.Statement statement : migration.statements()) {
                if (statement.line() <= finding.line()) {
                    found = statement;
                }
            }
            return found == null ? null : found.effect();
        }
        return null;
    }
}
