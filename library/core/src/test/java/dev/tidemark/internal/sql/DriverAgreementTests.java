package dev.tidemark.internal.sql;

import dev.tidemark.Corpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postgresql.core.NativeQuery;
import org.postgresql.core.Parser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * pgjdbc sees each statement the splitter cuts as exactly one query, as a batch sends it. A failed batch names its
 * entry by index ({@link Flight#named}); were the driver to split one of Tidemark's statements in two, the index of
 * every later entry would be off by one.
 */
class DriverAgreementTests {

    @ParameterizedTest
    @ValueSource(strings = {Corpus.OWN, Corpus.DOCUMENSO, Corpus.UMAMI})
    void everyStatementOfAHistoryIsOneQueryToTheDriver(String name) throws IOException, SQLException {
        int statements = 0;
        for (Path script : Corpus.scripts(name)) {
            for (SqlStatement statement : ScriptSplitter.split(Files.readString(script, StandardCharsets.UTF_8))) {
                assertOneQuery(statement.sql());
                statements++;
            }
        }
        assertThat(statements).isPositive();
    }

    @Test
    void statementsWithSemicolonsInsideAreOneQueryToTheDriver() throws SQLException {
        String script = """
                CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END;
                CREATE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC INSERT INTO t VALUES (1); END;
                CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO log VALUES (1); INSERT INTO log VALUES (2));
                DO $body$ BEGIN RAISE NOTICE 'a;b'; END $body$;
                INSERT INTO t VALUES (E'it\\'s; quoted', 'plain;', U&'\\0041;');
                /* a /* nested; */ comment */ CREATE TABLE "semi;colon" (id int);
                SELECT '{"a":1}'::jsonb ? 'a';
                """;
        List<SqlStatement> statements = ScriptSplitter.split(script);
        assertThat(statements).hasSize(7);
        for (SqlStatement statement : statements) {
            assertOneQuery(statement.sql());
        }
    }

    private static void assertOneQuery(String sql) throws SQLException {
        List<NativeQuery> queries = Parser.parseJdbcSql(sql, true, false, true, false, false);
        assertThat(queries).as(sql).hasSize(1);
    }
}
