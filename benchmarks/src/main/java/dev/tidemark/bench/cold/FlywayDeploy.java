package dev.tidemark.bench.cold;

import org.flywaydb.core.Flyway;

/** S5: Flyway's Java API in a minimal main. Arguments: JDBC URL, user, migrations folder. */
public final class FlywayDeploy {

    private FlywayDeploy() {
    }

    public static void main(String[] args) {
        String password = System.getenv("TIDEMARK_BENCH_PASSWORD");
        int applied = Flyway.configure().dataSource(args[0], args[1], password == null ? "" : password)
                .locations("filesystem:" + args[2]).load().migrate().migrationsExecuted;
        System.out.println("applied " + applied);
    }
}
