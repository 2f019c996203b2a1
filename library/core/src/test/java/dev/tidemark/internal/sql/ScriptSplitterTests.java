package dev.tidemark.internal.sql;

import dev.tidemark.Corpus;
import dev.tidemark.testdb.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The splitter against PostgreSQL itself: every script is also sent to the server as one simple query, whose own
 * parser splits it; the server's count of executed statements (CommandComplete messages) must equal the splitter's.
 */
class ScriptSplitterTests {

    private static TestDatabase db;

    @BeforeAll
    static void createDatabase() {
        db = TestDatabase.create(ScriptSplitterTests.class);
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"strings", "dollars", "comments", "identifiers", "atomic", "transactions"})
    void splitsTrickyScriptsIntoAsManyStatementsAsTheServerRuns(String name) throws IOException {
        String script = resource("sql/tricky/" + name + ".sql");
        List<SqlStatement> statements = ScriptSplitter.split(script);
        try (SimpleQueryClient server = SimpleQueryClient.connect(db)) {
            inFreshSchema(server, "whole_" + name);
            SimpleQueryClient.Outcome outcome = server.execute(script);
            assertThat(outcome.error()).as("server error for %s", name).isNull();
            assertThat(statements).as("statements of %s", name).hasSize(outcome.commands());
        }
        // Each statement sent on its own is exactly one statement to the server, and they run as the whole did.
        try (SimpleQueryClient server = SimpleQueryClient.connect(db)) {
            inFreshSchema(server, "pieces_" + name);
            for (SqlStatement statement : statements) {
                SimpleQueryClient.Outcome outcome = server.execute(statement.sql());
                assertThat(outcome.error()).as("%s: %s", name, statement.sql()).isNull();
                assertThat(outcome.commands()).as("%s: %s", name, statement.sql()).isEqualTo(1);
            }
        }
    }

    private static void inFreshSchema(SimpleQueryClient server, String schema) throws IOException {
        SimpleQueryClient.Outcome outcome = server.execute("CREATE SCHEMA " + schema + "; SET search_path = " + schema);
        assertThat(outcome.error()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {Corpus.OWN, Corpus.DOCUMENSO, Corpus.UMAMI})
    void splitsEveryCorpusMigrationIntoAsManyStatementsAsTheServerRuns(String corpus) throws IOException {
        List<Path> files = Corpus.scripts(corpus);
        assertThat(files).isNotEmpty();
        int total = 0;
        try (TestDatabase scratch = TestDatabase.create("splitter_" + corpus);
                SimpleQueryClient server = SimpleQueryClient.connect(scratch)) {
            for (Path file : files) {
                String script = Files.readString(file, StandardCharsets.UTF_8);
                SimpleQueryClient.Outcome outcome = server.execute(script);
                int commands = outcome.commands();
                if (outcome.error() != null && outcome.error().contains("SQLSTATE 25001")) {
                    // CREATE INDEX CONCURRENTLY mixed with other statements: the server refuses it as one script
                    // (and ran none of it), so the count is psql's, which sends one statement at a time.
                    commands = psqlCommands(scratch, file);
                } else {
                    assertThat(outcome.error()).as("server error for %s", file).isNull();
                }
                assertThat(ScriptSplitter.split(script)).as("statements of %s", file).hasSize(commands);
                total += commands;
            }
        }
        System.out.printf("%s: %d files, %d statements, splitter and server agree on every file%n", corpus,
                files.size(), total);
    }

    /** Runs the file with {@code psql -f} and counts the command tags it prints, one per statement run. */
    private static int psqlCommands(TestDatabase db, Path file) throws IOException {
        ProcessBuilder builder = new ProcessBuilder("psql", "-X", "-w", "-v", "ON_ERROR_STOP=1", "-h", db.host(),
                "-p", String.valueOf(db.port()), "-U", db.user(), "-d", db.name(), "-f", file.toString())
                .redirectErrorStream(true);
        if (db.password() != null) {
            builder.environment().put("PGPASSWORD", db.password());
        }
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            assertThat(process.waitFor()).as("psql -f %s:%n%s", file, output).isZero();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return (int) output.lines().filter(line -> line.matches("[A-Z]+( [A-Z]+)*( [0-9]+)*")).count();
    }

    @Test
    void keepsEachStatementsTextAndStartInTheFile() {
        String script = "-- header; comment\n"
                + "CREATE TABLE a (id int);\n"
                + "  /* lead */ INSERT INTO a\n"
                + "  VALUES (1) ;  SELECT 'x;\n"
                + "y' -- tail;\n"
                + ";\n"
                + "\tSELECT ü FROM a";
        List<SqlStatement> statements = ScriptSplitter.split(script);
        assertThat(statements).extracting(SqlStatement::sql).containsExactly(
                "CREATE TABLE a (id int)",
                "INSERT INTO a\n  VALUES (1)",
                "SELECT 'x;\ny' -- tail;",
                "SELECT ü FROM a");
        assertThat(statements).extracting(SqlStatement::line).containsExactly(2, 3, 4, 7);
        assertThat(statements).extracting(SqlStatement::column).containsExactly(1, 14, 17, 2);
    }

    @Test
    void dropsEmptyStatementsAndCommentOnlyText() {
        assertThat(ScriptSplitter.split("")).isEmpty();
        assertThat(ScriptSplitter.split(";;\n ; -- nothing\n/* still; nothing */")).isEmpty();
        assertThat(ScriptSplitter.split("SELECT 1;;;SELECT 2")).extracting(SqlStatement::sql)
                .containsExactly("SELECT 1", "SELECT 2");
    }

    @Test
    void followsPsqlForBeginAtomicBodies() {
        List<SqlStatement> statements = ScriptSplitter.split("""
                CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT CASE WHEN true THEN 2 END;
                END;
                CREATE FUNCTION g(begin int) RETURNS int LANGUAGE sql RETURN CASE WHEN true THEN 1 END;
                SELECT 1 AS begin; SELECT 2 AS "end";
                CREATE TABLE "create function"(x int);
                """);
        assertThat(statements).extracting(SqlStatement::sql).containsExactly(
                "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT CASE WHEN true THEN 2"
                        + " END;\nEND",
                "CREATE FUNCTION g(begin int) RETURNS int LANGUAGE sql RETURN CASE WHEN true THEN 1 END",
                "SELECT 1 AS begin", "SELECT 2 AS \"end\"", "CREATE TABLE \"create function\"(x int)");
    }

    @Test
    void doesNotEndAStatementInsideParentheses() {
        // As psql: an unbalanced parenthesis keeps the rest together, and the server reports the syntax error.
        assertThat(ScriptSplitter.split("SELECT (1; SELECT 2")).hasSize(1);
    }

    @Test
    void refusesPsqlMetaCommandsNamingTheLine() {
        assertThatThrownBy(() -> ScriptSplitter.split("SELECT 1;\n\n\\connect other\nSELECT 2;"))
                .isInstanceOfSatisfying(ScriptSplitter.ScriptSyntaxException.class, e -> {
                    assertThat(e.line()).isEqualTo(3);
                    assertThat(e.column()).isEqualTo(1);
                    assertThat(e.getMessage()).contains("line 3", "\\connect other", "psql");
                });
        assertThatThrownBy(() -> ScriptSplitter.split("SELECT 1 AS x \\gset\n"))
                .isInstanceOfSatisfying(ScriptSplitter.ScriptSyntaxException.class,
                        e -> assertThat(e.column()).isEqualTo(15));
        for (String command : List.of("\\i other.sql", "\\set ON_ERROR_STOP on", "\\c db", "  \\echo hi")) {
            assertThatThrownBy(() -> ScriptSplitter.split("-- x\n" + command + "\n"))
                    .isInstanceOf(ScriptSplitter.ScriptSyntaxException.class)
                    .hasMessageContaining(command.strip());
        }
        // Backslashes in strings, E-strings, identifiers and comments are not meta-commands.
        assertThat(ScriptSplitter.split("SELECT '\\i', E'\\\\c', \"\\x\" -- \\connect\n/* \\set */")).hasSize(1);
    }

    @Test
    void refusesUnterminatedQuotesAndCommentsNamingWhereTheyStart() {
        assertUnterminated("SELECT 1;\nSELECT 'abc;\n", 2, 8, "quoted string");
        assertUnterminated("SELECT E'abc\\';", 1, 9, "quoted string");
        assertUnterminated("SELECT \"abc;", 1, 8, "quoted identifier");
        assertUnterminated("SELECT 1;\n  SELECT $x$ $y$;", 2, 10, "dollar-quoted string $x$");
        assertUnterminated("/* a /* b */ SELECT 1;", 1, 1, "block comment");
    }

    @Test
    void countsServerErrorPositionsInCharactersFromTheStatementStart() {
        SqlStatement statement = ScriptSplitter.split("\n\n   SELECT 'é😀',\n  nosuch").get(0);
        assertThat(statement.positionInFile(0)).containsExactly(3, 4);
        assertThat(statement.positionInFile(1)).containsExactly(3, 4);
        assertThat(statement.positionInFile(12)).containsExactly(3, 15); // the ',' after the 4-character literal
        assertThat(statement.positionInFile(16)).containsExactly(4, 3); // 'nosuch'
    }

    @Test
    void matchesTheServersErrorPositions() throws Exception {
        String script = "SELECT 1;\n-- 😀 comment\n  SELECT 'é😀😀' || 1 +\n     nosuchcolumn FROM pg_class;";
        SqlStatement statement = ScriptSplitter.split(script).get(1);
        try (java.sql.Connection c = db.connect(); java.sql.Statement s = c.createStatement()) {
            s.execute(statement.sql());
            throw new AssertionError("expected an error");
        } catch (org.postgresql.util.PSQLException e) {
            int[] where = statement.positionInFile(e.getServerErrorMessage().getPosition());
            assertThat(where).containsExactly(4, 6);
        }
    }

    @Test
    void keepsTheFirstTokensForClassification() {
        SqlStatement s = ScriptSplitter.split("create /* x; */ unique index concurrently if not exists \"Idx\" on t"
                + " (a) where b = 'x;'").get(0);
        assertThat(s.tokens()).startsWith("create", "unique", "index", "concurrently", "if", "not", "exists",
                "\"Idx\"", "on", "t", "(", "a", ")", "where", "b", "=", "'");
        assertThat(s.startsWith("CREATE", "UNIQUE", "INDEX")).isTrue();
        String many = "SELECT " + "x, ".repeat(100) + "y";
        assertThat(ScriptSplitter.split(many).get(0).tokens()).hasSize(ScriptSplitter.TOKENS_KEPT);
    }

    @Test
    void matchesKeywordsIgnoringAsciiCaseOnlyAsTheServerDoes() {
        SqlStatement mixed = SqlStatement.of("Create Unique InDeX concurrently i ON t (a)");
        assertThat(mixed.startsWith("CREATE", "UNIQUE", "INDEX", "CONCURRENTLY")).isTrue();
        assertThat(mixed.keyword(2)).isEqualTo("INDEX");
        assertThat(mixed.matchesAt(4, "I", "ON", "T", "(", "A", ")", "")).as("past the end is empty").isTrue();
        assertThat(mixed.indexOf("ON", 0)).isEqualTo(5);
        // U+017F (long s) upper-cases to S in Java, but PostgreSQL folds ASCII letters only: not the keyword DISCARD.
        assertThat(SqlStatement.of("di\u017Fcard all").startsWith("DISCARD")).isFalse();
        assertThat(SqlStatement.of("di\u017Fcard all").keyword(0)).isEqualTo("DI\u017FCARD");
        assertThat(ScriptSplitter.split("CREATE FUNCTION f() RETURNS int LANGUAGE sql BeGiN AtOmIc SELECT 1; eNd;"
                + " SELECT 2")).hasSize(2);
    }

    @Test
    void theFirstKeywordIsTheFirstTokenTheLexerReads() {
        // keyword(0) reads a leading plain word without the lexer; anything else it leaves to the lexer.
        for (String sql : List.of("select 1", "Select1$x from t", "_x", "e'it''s'", "E'\\n'", "u&'d\\0061t'",
                "U&\"t\" (a)", "u & 1", "e", "\"Quoted\" x", "$$body$$", "$1", "(SELECT 1)", "\u00e9t\u00e9 1",
                "di\u017Fcard all", "x1.5", "SET TRANSACTION READ ONLY")) {
            SqlStatement statement = ScriptSplitter.split(sql).get(0);
            String first = statement.tokens().get(0);
            char c = first.charAt(0);
            boolean asciiWord = ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_') && !first.contains("&");
            assertThat(statement.keyword(0)).as(sql)
                    .isEqualTo(asciiWord ? first.chars().map(ch -> ch >= 'a' && ch <= 'z' ? ch - 32 : ch)
                            .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                            .toString() : first);
            assertThat(statement.startsWith(statement.keyword(0))).as(sql).isTrue();
        }
        assertThat(SqlStatement.of("e'x'").keyword(0)).isEqualTo("'");
        assertThat(SqlStatement.of("U&\"t\" (a)").keyword(0)).isEqualTo("U&\"t\"");
        assertThat(SqlStatement.of("set transaction read only").startsWith("SET", "TRANSACTION")).isTrue();
        assertThat(SqlStatement.of("reset all").startsWith("SET")).isFalse();
    }

    private static void assertUnterminated(String script, int line, int column, String what) {
        assertThatThrownBy(() -> ScriptSplitter.split(script))
                .isInstanceOfSatisfying(ScriptSplitter.ScriptSyntaxException.class, e -> {
                    assertThat(e.line()).as("line").isEqualTo(line);
                    assertThat(e.column()).as("column").isEqualTo(column);
                    assertThat(e.getMessage()).contains(what, "line " + line);
                });
    }

    static String resource(String name) throws IOException {
        try (InputStream in = ScriptSplitterTests.class.getClassLoader().getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
