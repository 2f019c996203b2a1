package dev.tidemark.cli;

import dev.tidemark.ErrorCode;
import dev.tidemark.MigrationFailedException;
import dev.tidemark.TidemarkException;

import java.util.List;

/**
 * The CLI's words for the settings the core's messages name neutrally ("the shadow database URL", "with force"):
 * each refusal or failure that names one gets a sentence saying which flag and variable set it here.
 */
final class CoreWords {

    private record Word(ErrorCode code, String phrase, String sentence) {
    }

    private static final List<Word> WORDS = List.of(
            new Word(null, "shadow database URL", "The shadow database URL is --shadow-database-url or "
                    + Settings.SHADOW_DATABASE_URL + "."),
            new Word(ErrorCode.ROLLBACK_REFUSED, "number of steps", "A number of steps is --steps N."),
            new Word(ErrorCode.ROLLBACK_REFUSED, "down directory", "The down directory is --down-dir or "
                    + Settings.DOWN_DIR + "."),
            new Word(ErrorCode.ROLLBACK_REFUSED, "with force", "Force is --force."),
            new Word(ErrorCode.PUSH_REFUSED, "force the push", "Force is --force."),
            new Word(ErrorCode.PUSH_REFUSED, "a dry run", "A dry run is --dry-run."),
            new Word(ErrorCode.PUSH_REFUSED, "accept data loss", "Accepting data loss is --accept-data-loss."),
            new Word(ErrorCode.MIGRATION_FAILED, "a dry run prints the script", "A dry run is --dry-run."),
            new Word(ErrorCode.CONFIGURATION_INVALID, "shard count", "The shard count is --shards or "
                    + FleetOptions.SHARDS + "."));

    private CoreWords() {
    }

    /** {@code e} with the CLI's sentences appended, or {@code e} itself when it names none of these settings. */
    static TidemarkException explain(TidemarkException e) {
        if (e instanceof MigrationFailedException) {
            return e; // keeps its statement, line and SQLSTATE; its advice names no setting
        }
        String message = e.getMessage();
        StringBuilder added = new StringBuilder();
        for (Word word : WORDS) {
            if ((word.code() == null || word.code() == e.code()) && message.contains(word.phrase())
                    && added.indexOf(word.sentence()) < 0) {
                added.append(' ').append(word.sentence());
            }
        }
        return added.length() == 0 ? e : new TidemarkException(e.code(), DatabaseCommand.withoutCode(e) + added, e);
    }
}
