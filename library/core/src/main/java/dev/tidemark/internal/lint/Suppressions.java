package dev.tidemark.internal.lint;

import dev.tidemark.ErrorCode;
import dev.tidemark.TidemarkException;
import dev.tidemark.internal.source.LocalMigration;
import dev.tidemark.internal.sql.SqlStatement;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code -- tidemark:lint-ignore RULE-ID[,RULE-ID] reason} comments of a file. One directly above a statement
 * (only other {@code --} comment lines between) suppresses those rules for that statement; one in the header
 * (before the first statement) that is followed by a blank line suppresses them for the whole file.
 */
final class Suppressions {

    static final Pattern IGNORE = Pattern.compile("^\\s*--\\s*tidemark:\\s*lint-ignore\\b\\s*([^\\s]*)(.*)$");

    private final Set<String> wholeFile = new HashSet<>();
    private final Map<Integer, Set<String>> byStatementLine = new HashMap<>();

    private Suppressions() {
    }

    boolean suppressed(String rule, int statementLine) {
        return wholeFile.contains(rule) || byStatementLine.getOrDefault(statementLine, Set.of()).contains(rule);
    }

    static Suppressions parse(LocalMigration migration, List<SqlStatement> statements) {
        Suppressions result = new Suppressions();
        String script = migration.script();
        if (!script.contains("lint-ignore")) {
            return result;
        }
        Set<Integer> starts = new HashSet<>();
        for (SqlStatement s : statements) {
            starts.add(s.line());
        }
        int firstStatement = statements.isEmpty() ? Integer.MAX_VALUE : statements.get(0).line();
        String[] lines = script.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher m = IGNORE.matcher(lines[i]);
            if (!m.matches()) {
                continue;
            }
            int line = i + 1;
            if (m.group(1).isEmpty()) {
                throw invalid(migration, line, "names no rule. Write -- tidemark:lint-ignore RULE-ID reason, with a"
                        + " rule id from 'tidemark lint --list-rules'");
            }
            Set<String> ids = new HashSet<>();
            for (String id : m.group(1).split(",")) {
                if (id.isBlank()) {
                    continue;
                }
                if (Rules.get(id) == null) {
                    throw invalid(migration, line, "names the rule '" + id + "', which does not exist. Use a rule id"
                            + " from 'tidemark lint --list-rules' (README, 'Lint rules')");
                }
                ids.add(id);
            }
            int next = i + 1;
            while (next < lines.length && lines[next].strip().startsWith("--")) {
                next++;
            }
            boolean blank = next >= lines.length || lines[next].isBlank();
            if (!blank && starts.contains(next + 1)) {
                result.byStatementLine.computeIfAbsent(next + 1, k -> new HashSet<>()).addAll(ids);
            } else if (line < firstStatement && blank) {
                result.wholeFile.addAll(ids);
            } else {
                throw invalid(migration, line, "is neither directly above a statement nor in the file's header."
                        + " Put it on the line before the statement it is about, or at the top of the file followed"
                        + " by a blank line to cover the whole file");
            }
        }
        return result;
    }

    private static TidemarkException invalid(LocalMigration migration, int line, String problem) {
        return new TidemarkException(ErrorCode.LINT_IGNORE_INVALID, migration.file() + ":" + line
                + ": the lint suppression " + problem + ".");
    }
}
