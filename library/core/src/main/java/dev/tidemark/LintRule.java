package dev.tidemark;

/**
 * One rule of {@code tidemark lint}, as documented in the README's rule table.
 *
 * @param id          stable identifier, used in suppressions ({@code -- tidemark:lint-ignore ID reason}) and options
 * @param category    {@code locks}, {@code breaking}, {@code data}, {@code resumability} or {@code hygiene}
 * @param severity    the severity of its findings
 * @param onByDefault whether it runs unless disabled (hygiene rules are off unless enabled)
 * @param title       a short title
 * @param explanation one paragraph: what goes wrong
 * @param safeForm    the safe way to write it
 * @since 0.1
 */
public record LintRule(String id, String category, LintSeverity severity, boolean onByDefault, String title,
        String explanation, String safeForm) {
}
