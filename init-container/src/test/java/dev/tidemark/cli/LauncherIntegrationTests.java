package dev.tidemark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidemark.testdb.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code target/tidemark}, the launcher the README and the error messages mean by "tidemark deploy". */
class LauncherIntegrationTests {

    @TempDir
    Path tmp;

    @Test
    void launcherDeploysFromTheWorkingDirectorysMigrationsFolder() {
        Fixtures.migrations(tmp.resolve("migrations"));
        try (TestDatabase db = TestDatabase.create(getClass())) {
            CliProcess.Result deploy = CliProcess.launcher(tmp, Map.of("DATABASE_URL", db.postgresUrl()), "deploy");

            assertThat(deploy.exitCode()).as(deploy.toString()).isZero();
            assertThat(deploy.out()).contains("All migrations have been successfully applied: 3 migrations");
            assertThat(deploy.err()).contains("Applied " + Fixtures.INDEX_TAGS);

            CliProcess.Result status = CliProcess.launcher(tmp, Map.of("DATABASE_URL", db.postgresUrl()),
                    "status", "--exit-code");
            assertThat(status.exitCode()).as(status.toString()).isZero();
            assertThat(status.out()).contains("Database schema is up to date!");
        }
    }

    @Test
    void launcherHonoursJavaHomeAndJavaOpts() {
        String javaHome = System.getProperty("java.home");

        CliProcess.Result version = CliProcess.launcher(tmp, Map.of("JAVA_HOME", javaHome,
                "JAVA_OPTS", "-Dtidemark.probe=1 -XshowSettings:properties"), "version");

        assertThat(version.exitCode()).as(version.toString()).isZero();
        assertThat(version.out()).contains("Java " + System.getProperty("java.version") + " (");
        assertThat(version.err()).contains("tidemark.probe = 1", "java.home = " + javaHome);
    }

    @Test
    void launcherPassesArgumentsAndExitCodesThrough() {
        CliProcess.Result usage = CliProcess.launcher(tmp, Map.of(), "deploy", "--no-such-flag");
        assertThat(usage.exitCode()).as(usage.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(usage.err()).contains("--no-such-flag");

        CliProcess.Result named = CliProcess.launcher(tmp, Map.of(), "create", "two words",
                "--migrations", tmp.resolve("created").toString());
        assertThat(named.exitCode()).as(named.toString()).isZero();
        assertThat(tmp.resolve("created")).isDirectoryContaining(path -> path.getFileName().toString()
                .endsWith("_two_words"));
    }

    @Test
    void withoutJavaHomeTheLauncherUsesTheImagesRuntimeAndItsStartupArchiveWhenTheBuildMadeThem() {
        Path launcher = Path.of(System.getProperty("tidemark.cli.launcher", "target/tidemark")).toAbsolutePath();
        Path image = launcher.resolveSibling("image-root");
        boolean archived = Files.isRegularFile(image.resolve("app/tidemark.aot"))
                && Files.isExecutable(image.resolve("opt/java/bin/java"));

        // -Xlog:aot exists from Java 24 on; only the archived runtime is known to have it
        CliProcess.Result version = CliProcess.launcher(tmp,
                archived ? Map.of("JAVA_OPTS", "-Xlog:aot=info:stderr") : Map.of(), "version");

        assertThat(version.exitCode()).as(version.toString()).isZero();
        if (archived) {
            assertThat(version.err()).as(version.toString()).contains("Opened AOT cache "
                    + image.resolve("app/tidemark.aot"));
        } else {
            assertThat(version.out()).startsWith("tidemark ");
        }
    }

    @Test
    void theFirstRunOfACommandWritesItsClassDataArchiveAndTheNextRunsMapIt() throws Exception {
        Path cache = tmp.resolve("cds");
        Map<String, String> env = Map.of("JAVA_HOME", System.getProperty("java.home"),
                "TIDEMARK_CDS_DIR", cache.toString());

        CliProcess.Result first = CliProcess.launcher(tmp, env, "version");
        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.out()).startsWith("tidemark ");
        assertThat(first.err()).as("the JVM's CDS messages are not the CLI's output").isEmpty();
        try (java.util.stream.Stream<Path> files = Files.list(cache)) {
            assertThat(files.map(f -> f.getFileName().toString())).singleElement().asString().endsWith("-cli.jsa");
        }

        Map<String, String> logged = new java.util.HashMap<>(env);
        logged.put("JAVA_OPTS", "-Xlog:class+load=info:stderr");
        CliProcess.Result second = CliProcess.launcher(tmp, logged, "version");
        assertThat(second.exitCode()).as(second.toString()).isZero();
        assertThat(second.out()).isEqualTo(first.out());
        assertThat(second.err()).contains("dev.tidemark.cli.TidemarkCli source: shared objects file (top)");

        Path off = tmp.resolve("cds-off");
        Map<String, String> disabled = Map.of("JAVA_HOME", System.getProperty("java.home"),
                "TIDEMARK_CDS_DIR", off.toString(), "TIDEMARK_CDS", "off");
        assertThat(CliProcess.launcher(tmp, disabled, "version").exitCode()).isZero();
        assertThat(off).doesNotExist();
    }
}
