package dev.tidemark.maven;

import java.util.List;

/**
 * The plugin's words for the settings the core's messages name neutrally ("raise the lock wait", "the shadow database
 * URL"): each message that names one gets a sentence with the parameter and its user property.
 */
final class PluginWords {

    private record Word(String phrase, String parameter) {
    }

    private static final List<Word> WORDS = List.of(
            new Word("the lock wait", "lockWait"),
            new Word("lock retry budget", "lockRetryBudget"),
            new Word("raise the statement timeout", "statementTimeout"),
            new Word("shadow database URL", "shadowDatabaseUrl"),
            new Word("down directory", "downLocation"),
            new Word("roll back with force", "force"),
            new Word("give a number of steps", "steps"));

    private PluginWords() {
    }

    /** {@code message} with a sentence per setting it names, as {@code <lockWait>} and {@code -Dtidemark.lockWait}. */
    static String explain(String message) {
        StringBuilder out = new StringBuilder(message);
        for (Word word : WORDS) {
            if (message.contains(word.phrase())) {
                out.append(" In Maven: <").append(word.parameter()).append("> or -Dtidemark.")
                        .append(word.parameter()).append('.');
            }
        }
        return out.toString();
    }
}
