package dev.tidemark.maven;

import dev.tidemark.MigrationInfo;
import dev.tidemark.MigrationStatus;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Mojo;

import java.util.List;

/**
 * Compares the migrations folder with the history table and logs what is not applied-and-unchanged; takes no lock
 * and writes nothing (Prisma's {@code migrate status}). It never fails the build over what it finds: bind
 * {@code validate} for that.
 */
@Mojo(name = "status", requiresProject = false, threadSafe = true)
public class StatusMojo extends TidemarkMojo {

    @Override
    String goal() {
        return "status";
    }

    @Override
    void run() throws MojoExecutionException {
        MigrationStatus status = builder().build().status();
        StringBuilder text = new StringBuilder(status.migrations().size() - status.missingLocally().size()
                + " migration(s) found in " + location + "; " + status.applied().size() + " applied");
        list(text, "Pending", status.pending());
        list(text, "Failed (resolve them before the next deploy)", status.failed());
        list(text, "Modified since applied", status.modified());
        list(text, "Applied but missing from the folder", status.missingLocally());
        if (status.upToDate() && !status.hasWarnings()) {
            text.append("\nDatabase schema is up to date!");
        } else if (status.upToDate()) {
            text.append("\nDatabase schema is up to date, with warnings");
        } else if (!status.pending().isEmpty() && status.failed().isEmpty()) {
            text.append("\nTo apply them: mvn tidemark:deploy");
        }
        info(text.toString());
    }

    private static void list(StringBuilder text, String heading, List<MigrationInfo> migrations) {
        if (migrations.isEmpty()) {
            return;
        }
        text.append("\n").append(heading).append(" (").append(migrations.size()).append("):");
        for (MigrationInfo migration : migrations) {
            text.append("\n  ").append(migration.name());
        }
    }
}
