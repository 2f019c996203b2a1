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
}
