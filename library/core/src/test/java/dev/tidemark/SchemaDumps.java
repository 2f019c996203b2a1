package dev.tidemark;

import dev.tidemark.testdb.TestDatabase;

import java.util.List;

/** pg_dump --schema-only of a test database, without the header comments and pg_dump's random restrict key. */
final class SchemaDumps {

    private SchemaDumps() {
    }

    static String dump(TestDatabase db) {
        String dump = Processes.run(List.of("pg_dump", "-w", "--schema-only", "--no-owner", "--no-privileges", "-h",
                db.host(), "-p", String.valueOf(db.port()), "-U", db.user(), db.name()), db.password());
        StringBuilder out = new StringBuilder();
        dump.lines().filter(line -> !line.startsWith("--") && !line.startsWith("\\restrict")
                && !line.startsWith("\\unrestrict")).forEach(line -> out.append(line).append('\n'));
        return out.toString();
    }
}
