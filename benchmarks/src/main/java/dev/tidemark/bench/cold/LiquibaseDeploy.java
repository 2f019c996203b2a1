package dev.tidemark.bench.cold;

import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.DirectoryResourceAccessor;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;

/** S5: Liquibase's Java API in a minimal main. Arguments: JDBC URL, user, changelog folder. */
public final class LiquibaseDeploy {

    private LiquibaseDeploy() {
    }

    @SuppressWarnings("deprecation") // the facade Spring Boot's SpringLiquibase drives
    public static void main(String[] args) throws Exception {
        System.setProperty("liquibase.analytics.enabled", "false");
        String password = System.getenv("TIDEMARK_BENCH_PASSWORD");
        try (Connection connection = DriverManager.getConnection(args[0], args[1], password == null ? "" : password)) {
            Database database = DatabaseFactory.getInstance()
                    .findCorrectDatabaseImplementation(new JdbcConnection(connection));
            try (Liquibase liquibase = new Liquibase("changelog.xml", new DirectoryResourceAccessor(Path.of(args[2])),
                    database)) {
                liquibase.update(new Contexts(), new LabelExpression());
            }
        }
        System.out.println("updated");
    }
}
