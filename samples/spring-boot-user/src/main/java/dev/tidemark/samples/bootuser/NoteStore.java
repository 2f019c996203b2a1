package dev.tidemark.samples.bootuser;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.util.List;

/** Notes in the table the migrations create; JdbcClient is created after Tidemark has migrated. */
@Component
public class NoteStore {

    private final JdbcClient jdbc;

    public NoteStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public int add(String text) {
        return jdbc.sql("INSERT INTO \"Note\" (\"text\") VALUES (?) RETURNING \"id\"").param(text)
                .query(Integer.class).single();
    }

    public List<String> texts() {
        return jdbc.sql("SELECT \"text\" FROM \"Note\" ORDER BY \"id\"").query(String.class).list();
    }
}
