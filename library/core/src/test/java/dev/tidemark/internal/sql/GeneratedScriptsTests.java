package dev.tidemark.internal.sql;

import dev.tidemark.testdb.TestDatabase;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property test: random scripts built from statements whose text, start line and start column are known, with
 * semicolons hidden in every construct that must protect them. The splitter must give back exactly those statements,
 * and the server, sent each whole script as one simple query, must run exactly as many.
 */
class GeneratedScriptsTests {

    private static final int SCRIPTS = 400;
    private static final long SEED = Long.getLong("tidemark.splitter.seed", 20261123L);

    private static final String[] EXPRESSIONS = {
        "1", "'a;b'", "'it''s; here'", "'\\'", "E'x\\';\\\\'", "e'\\\\'", "E''';'", "U&'d\\0061t;'",
        "U&'!0041;' UESCAPE '!'", "B'101'", "X'1F'", "$$;$$", "$$$$", "$t$ $$ ; $t$", "$a$ $b$ ; $b$ $a$",
        "$_1$;$_1$", "/* ; /* ; */ ; */ 2", "3 -- ;\n", "(4)", "CASE WHEN true THEN ';' END", "ARRAY[1, 2]",
        "1.5e3", "'multi\nline;'", "5*/**/6", "length('é😀;')", "'--;' || '/*;'",
        "(SELECT \"x;\" FROM (SELECT 1 AS \"x;\") \"t;\")",
    };
    private static final String[] ALIASES = {"", " AS \"x;y\"", " AS a$b", " AS \"q\"\"q;\"", " AS begin", " end_"};
    private static final String[] ROUTINES = {
        "CREATE OR REPLACE FUNCTION gen_f() RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT 1;\n"
                + "  SELECT CASE WHEN true THEN 2 END;\nEND",
        "CREATE OR REPLACE FUNCTION gen_g() RETURNS text LANGUAGE plpgsql AS $fn$ BEGIN RETURN ';'; END; $fn$",
        "DO $$ BEGIN PERFORM ';'; END $$",
        "CREATE OR REPLACE PROCEDURE gen_p() LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END",
        "CREATE OR REPLACE FUNCTION gen_h(begin int) RETURNS int LANGUAGE sql RETURN CASE WHEN begin > 0 THEN 1 END",
    };
    private static final String[] LEADS = {"", "", "\n", "-- lead;\n", "/* lead; /* nested; */ */ ", "\t", "\n\n  "};
    private static final String[] ENDS = {";", ";\n", " ;\n\n", "; -- c;\n", ";/* ; */", ";;", ";\n;\n"};

    record Expected(String sql, int line, int column) {
    }

    @Test
    void splitsGeneratedScriptsExactlyAndAsTheServerDoes() throws Exception {
        Random random = new Random(SEED);
        int statements = 0;
        try (TestDatabase db = TestDatabase.create(getClass());
                SimpleQueryClient server = SimpleQueryClient.connect(db)) {
            for (int n = 0; n < SCRIPTS; n++) {
                StringBuilder script = new StringBuilder();
                List<Expected> expected = new ArrayList<>();
                int count = 1 + random.nextInt(6);
                for (int i = 0; i < count; i++) {
                    script.append(pick(random, LEADS));
                    String sql = random.nextInt(5) == 0 ? pick(random, ROUTINES) : select(random);
                    int[] at = lineAndColumn(script);
                    expected.add(new Expected(sql.stripTrailing(), at[0], at[1]));
                    script.append(sql);
                    if (i < count - 1 || random.nextBoolean()) {
                        script.append(pick(random, ENDS));
                    }
                }
                String text = script.toString();
                List<Expected> actual = ScriptSplitter.split(text).stream()
                        .map(s -> new Expected(s.sql(), s.line(), s.column())).toList();
                assertThat(actual).as("script %d (seed %d):%n%s", n, SEED, text).isEqualTo(expected);

                SimpleQueryClient.Outcome outcome = server.execute(text);
                assertThat(outcome.error()).as("server error for script %d:%n%s", n, text).isNull();
                assertThat(outcome.commands()).as("server statements for script %d:%n%s", n, text)
                        .isEqualTo(expected.size());
                statements += expected.size();
            }
        }
        System.out.printf("Generated %d scripts (seed %d, %d statements): splitter and server agree%n", SCRIPTS, SEED,
                statements);
    }

    private static String select(Random random) {
        StringBuilder sql = new StringBuilder("SELECT ");
        int columns = 1 + random.nextInt(4);
        for (int i = 0; i < columns; i++) {
            if (i > 0) {
                sql.append(", ");
            }
            sql.append(pick(random, EXPRESSIONS)).append(pick(random, ALIASES));
        }
        return sql.toString();
    }

    private static int[] lineAndColumn(CharSequence text) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        String s = text.toString();
        return new int[] {line, s.codePointCount(lineStart, s.length()) + 1};
    }

    private static String pick(Random random, String[] options) {
        return options[random.nextInt(options.length)];
    }
}
