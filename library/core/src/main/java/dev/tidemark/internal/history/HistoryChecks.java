package dev.tidemark.internal.history;

import dev.tidemark.DeployWarning;
import dev.tidemark.ErrorCode;
import dev.tidemark.MigrationInfo;
import dev.tidemark.MigrationState;
import dev.tidemark.MigrationStatus;
import dev.tidemark.TidemarkException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/** What the reconciled history says before anything runs: modified and missing migrations, and validation. */
public final class HistoryChecks {

    private static final Logger log = LoggerFactory.getLogger("dev.tidemark");

    private HistoryChecks() {
    }

    /**
     * Warns about each applied migration whose file was modified since it ran and each one missing from the folder,
     * or, in strict mode, refuses a modified one. Returns the warnings for the deploy's result.
     */
    public static List<DeployWarning> modifiedMigrations(List<MigrationInfo> infos, boolean strict, String location,
            String target) {
        List<DeployWarning> warnings = new ArrayList<>();
        List<String> modified = new ArrayList<>();
        for (MigrationInfo info : infos) {
            if (info.state() == MigrationState.MODIFIED) {
                modified.add(info.name());
                warnings.add(new DeployWarning(DeployWarning.Kind.MODIFIED, info.name(), "Migration " + info.name()
                        + " was modified after it was applied (recorded checksum " + info.appliedChecksum()
                        + ", file checksum " + info.checksum() + ")."));
            } else if (info.state() == MigrationState.MISSING_LOCALLY) {
                warnings.add(new DeployWarning(DeployWarning.Kind.MISSING_LOCALLY, info.name(), "Migration "
                        + info.name() + " is applied to the database but missing from " + location + "."));
            }
        }
        if (strict && !modified.isEmpty()) {
            throw new TidemarkException(ErrorCode.MODIFIED_MIGRATION, "Strict mode refuses to deploy because applied"
                    + " migration(s) were modified since they ran: " + String.join(", ", modified) + ". Restore"
                    + " the original files (git checkout) and put further changes in a new migration; if the edit"
                    + " only changed comments or formatting, turn strict mode off for this deploy.");
        }
        for (DeployWarning warning : warnings) {
            log.warn("{}: {}", target, warning.message());
        }
        return warnings;
    }

    /** Refuses a status with pending, failed or modified migrations, naming every one. */
    public static MigrationStatus requireUpToDate(MigrationStatus status, String location, String target) {
        if (status.upToDate() && status.modified().isEmpty()) {
            return status;
        }
        StringBuilder problems = new StringBuilder();
        appendNames(problems, "pending", status.pending());
        appendNames(problems, "failed", status.failed());
        appendNames(problems, "modified since applied", status.modified());
        throw new TidemarkException(ErrorCode.NOT_UP_TO_DATE, "Validation failed: " + target + " is not up to date with "
                + location + ": " + problems + ". Run 'tidemark deploy' (or let the init container or"
                + " migration Job finish) before starting the application; resolve failed migrations with"
                + " 'tidemark resolve'.");
    }

    private static void appendNames(StringBuilder out, String label, List<MigrationInfo> infos) {
        if (infos.isEmpty()) {
            return;
        }
        if (out.length() > 0) {
            out.append("; ");
        }
        out.append(label).append(": ").append(String.join(", ", infos.stream().map(MigrationInfo::name).toList()));
    }
}
