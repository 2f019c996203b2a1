package dev.tidemark.testdb;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * Everything that touches Testcontainers, in a class of its own: Testcontainers is an optional dependency, and this
 * class is loaded only after {@link #present} found it, so that TestDatabase works without it.
 */
final class Containers {

    /** A class that only Testcontainers 2 has (1.x, which Spring Boot 3.5 manages, names its module differently). */
    private static final String MARKER = "org.testcontainers.postgresql.PostgreSQLContainer";

    private Containers() {
    }

    /** Whether Testcontainers 2 can be loaded; looked up by name, so nothing is loaded or linked when it is absent. */
    static boolean present(ClassLoader loader) {
        try {
            Class.forName(MARKER, false, loader);
            Class.forName("org.testcontainers.DockerClientFactory", false, loader);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    static boolean dockerAvailable() {
        return DockerClientFactory.instance().isDockerAvailable();
    }

    record Started(String hostPort, String database, String user, String password, String image) {
    }

    /** Starts a PostgreSQL container that is stopped when the JVM exits. */
    static Started startPostgres(String image) {
        PostgreSQLContainer container = new PostgreSQLContainer(image);
        container.start();
        Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
        return new Started(container.getHost() + ":" + container.getMappedPort(5432), container.getDatabaseName(),
                container.getUsername(), container.getPassword(), container.getDockerImageName());
    }
}
