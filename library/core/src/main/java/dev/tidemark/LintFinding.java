package dev.tidemark;

/**
 * One finding of {@code tidemark lint}: a statement that a rule flags.
 *
 * @param ruleId    the rule's stable id (see {@link Lint#rules()})
 * @param severity  the rule's severity
 * @param migration the migration's directory name, or the file name for a loose file
 * @param file      the file, as it was found (relative when the folder was given relatively)
 * @param line      1-based line in the file
 * @param column    1-based column in the file
 * @param message   what is wrong here, naming the table or column
 * @param safeForm  the safe way to write it
 * @since 0.1
 */
public record LintFinding(String ruleId, LintSeverity severity, String migration, String file, int line, int column,
        String message, String safeForm) {
}
