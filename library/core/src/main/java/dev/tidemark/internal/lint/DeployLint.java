package dev.tidemark.internal.lint;

import dev.tidemark.ErrorCode;
import dev.tidemark.LintFinding;
import dev.tidemark.LintReport;
import dev.tidemark.LintSeverity;
import dev.tidemark.MigrationInfo;
import dev.tidemark.TidemarkException;
import dev.tidemark.internal.source.LocalMigration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * {@code deploy}'s lint: the static rules on the migrations about to be applied (no catalog query, so a deploy costs
 * no extra statement), logged as warnings; in mode error, a finding of severity error refuses the deploy.
 */
public final class DeployLint {

    private static final Logger log = LoggerFactory.getLogger("dev.tidemark");

    private DeployLint() {
    }

    /**
     * @param refuse whether error-severity findings refuse the deploy (mode error) rather than only being logged
     */
    public static void check(boolean refuse, List<LocalMigration> local, List<MigrationInfo> infos,
            Predicate<MigrationInfo> pending, int serverVersion, String target) {
        if (infos.stream().noneMatch(pending)) {
            return; // a no-op deploy reads no script a second time
        }
        LintReport report;
        try {
            report = TargetLint.lint(null, null, local, infos, pending, LintEngine.rules(Set.of(), Set.of()),
                    serverVersion > 0 ? serverVersion : 15);
        } catch (TidemarkException e) {
            if (refuse || e.code() != ErrorCode.LINT_IGNORE_INVALID) {
                throw e;
            }
            log.warn("{}: lint skipped: {}", target, e.getMessage());
            return;
        }
        for (LintFinding f : report.findings()) {
            log.warn("{}: lint {} {} at {}:{}: {} Safe form: {}", target, f.severity().label(), f.ruleId(), f.file(),
                    f.line(), f.message(), f.safeForm());
        }
        List<LintFinding> errors = report.atOrAbove(LintSeverity.ERROR);
        if (refuse && !errors.isEmpty()) {
            LintFinding first = errors.get(0);
            throw new TidemarkException(ErrorCode.LINT_REFUSED, "Deploy refused by lint (mode error), nothing was"
                    + " applied: " + errors.size() + " finding(s) of severity error in the pending migrations, the"
                    + " first " + first.ruleId() + " at " + first.file() + ":" + first.line() + ": "
                    + first.message() + " Rewrite the statement (" + first.safeForm() + "), suppress it with"
                    + " -- tidemark:lint-ignore " + first.ruleId() + " <reason> on the line before it, or deploy"
                    + " with lint mode warn.");
        }
    }
}
