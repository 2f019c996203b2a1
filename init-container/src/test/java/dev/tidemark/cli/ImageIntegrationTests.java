package dev.tidemark.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tidemark.testdb.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * Unpacks the image tarball that Jib built and runs its entrypoint for real, without a container runtime: the layers
 * are extracted into a root file system, and the entrypoint runs in it under {@code unshare} + {@code chroot} as the
 * image's user, with the image's environment only, against the local PostgreSQL.
 */
class ImageIntegrationTests {

    private static final Path UNSHARE = Path.of("/usr/bin/unshare");
    private static final Path CHROOT = Path.of("/usr/sbin/chroot");

    @TempDir
    static Path work;

    static Path root;
    static Map<String, Object> config;

    @BeforeAll
    static void unpackImage() throws IOException {
        Path tarball = Path.of(System.getProperty("tidemark.image.tar", "target/jib-image.tar"));
        assertThat(tarball).as("the image tarball built by jib:buildTar in 'package'").isRegularFile();
        Path image = Files.createDirectories(work.resolve("image"));
        root = Files.createDirectories(work.resolve("rootfs"));
        tar("-xf", tarball.toString(), "-C", image.toString());
        Map<String, Object> manifest = Parsed.first(new Yaml().load(
                Files.readString(image.resolve("manifest.json"))));
        for (Object layer : (List<?>) manifest.get("Layers")) {
            tar("--warning=no-unknown-keyword", "-xzf", image.resolve((String) layer).toString(), "-C",
                    root.toString());
        }
        Map<String, Object> imageConfig = new Yaml().load(Files.readString(image.resolve((String) manifest
                .get("Config"))));
        config = Parsed.map(imageConfig.get("config"));
        addRuntimeDevices();
    }

    /**
     * The device nodes every container runtime creates (OCI runtime spec, "Default Devices"): without
     * {@code /dev/urandom} the JVM's SecureRandom, behind each history row's UUID, seeds itself by spinning for
     * seconds, which no real container pays. Needs root, as running the image here does; without it the runs are slow,
     * not different.
     */
    private static void addRuntimeDevices() {
        if (!canChroot()) {
            return;
        }
        for (String[] device : new String[][] {{"null", "3"}, {"zero", "5"}, {"random", "8"}, {"urandom", "9"}}) {
            CliProcess.run(List.of("mknod", "-m", "666", root.resolve("dev").resolve(device[0]).toString(), "c", "1",
                    device[1]), Map.of(), false);
        }
    }

    @Test
    void imageIsSmallNonRootAndShellless() throws IOException {
        assertThat(config.get("User")).isEqualTo("65534:65534");
        assertThat(entrypoint()).first().isEqualTo("/opt/java/bin/java");
        assertThat(entrypoint()).last().isEqualTo("dev.tidemark.cli.TidemarkCli");
        assertThat(environment()).contains("TIDEMARK_MIGRATIONS=/migrations");
        assertThat(root.resolve("bin/sh")).doesNotExist();
        assertThat(Files.exists(root.resolve("app/tidemark.aot"))
                || Files.exists(root.resolve("opt/java/lib/server/classes.jsa")))
                .as("an AOT cache (Java 25+) or the runtime's CDS archive").isTrue();
        assertThat(root.resolve("migrations")).as("mounted, or added by a derived image").doesNotExist();
        long tarballBytes = Files.size(Path.of(System.getProperty("tidemark.image.tar", "target/jib-image.tar")));
        assertThat(tarballBytes).as("image tarball size").isLessThan(60L * 1024 * 1024);
    }

    @Test
    void entrypointDeploysThenStatusReportsUpToDate() throws IOException {
        assumeTrue(canChroot(), "needs root, unshare and chroot to run the image without a container runtime");
        Fixtures.migrations(Files.createDirectories(root.resolve("migrations")));
        try (TestDatabase db = TestDatabase.create(getClass())) {
            String url = "postgresql://" + db.user() + ":image%2Fpw@" + db.host() + ":" + db.port() + "/"
                    + db.name() + "?schema=public";

            CliProcess.Result before = runImage(url, "status", "--exit-code");
            assertThat(before.exitCode()).as(before.toString()).isEqualTo(ExitCodes.NOT_UP_TO_DATE);
            assertThat(before.out()).contains("3 migrations found in /migrations", "Not up to date: 3 pending");

            CliProcess.Result deploy = runImage(url, "deploy");
            assertThat(deploy.exitCode()).as(deploy.toString()).isZero();
            assertThat(deploy.err()).contains(Fixtures.CREATE_NOTES, Fixtures.ADD_TAGS, Fixtures.INDEX_TAGS);
            assertThat(deploy.out()).contains("All migrations have been successfully applied: 3 migrations");

            CliProcess.Result after = runImage(url, "status", "--exit-code");
            assertThat(after.exitCode()).as(after.toString()).isZero();
            assertThat(after.out()).contains("Database schema is up to date!");

            CliProcess.Result again = runImage(url, "deploy", "--output", "json");
            assertThat(again.exitCode()).as(again.toString()).isZero();
            assertThat(again.json()).containsEntry("alreadyApplied", 3).containsEntry("applied", List.of());

            for (CliProcess.Result result : List.of(before, deploy, after, again)) {
                assertThat(result.all()).doesNotContain("image/pw", "image%2Fpw");
            }
        } finally {
            Fixtures.delete(root.resolve("migrations"));
        }
    }

    @Test
    void entrypointFailsLoudlyWithoutMigrationsOrDatabase() {
        assumeTrue(canChroot(), "needs root, unshare and chroot to run the image without a container runtime");

        CliProcess.Result noMount = runImage("postgresql://postgres@127.0.0.1:5432/postgres", "deploy");
        assertThat(noMount.exitCode()).as(noMount.toString()).isEqualTo(ExitCodes.FAILURE);
        assertThat(noMount.err()).contains("TM2001", "/migrations");

        CliProcess.Result noUrl = runImage(null, "deploy");
        assertThat(noUrl.exitCode()).as(noUrl.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(noUrl.err()).contains("DATABASE_URL");

        CliProcess.Result version = runImage(null, "version");
        assertThat(version.exitCode()).as(version.toString()).isZero();
        assertThat(version.out()).startsWith("tidemark ");
    }

    @Test
    void aotCacheBuiltWithTheImageIsUsableInIt() {
        assumeTrue(canChroot(), "needs root, unshare and chroot to run the image without a container runtime");
        assumeTrue(Files.exists(root.resolve("app/tidemark.aot")), "no AOT cache: the image's runtime is older than 25");

        // AOTMode=on turns "cannot use the cache" (a changed jar, path or runtime) from a silent slow start into an error.
        CliProcess.Result result = runImageWithFlags(List.of("-XX:AOTMode=on"), null, "version");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).startsWith("tidemark ");
    }

    private static CliProcess.Result runImage(String databaseUrl, String... args) {
        return runImageWithFlags(List.of(), databaseUrl, args);
    }

    private static CliProcess.Result runImageWithFlags(List<String> jvmFlags, String databaseUrl, String... args) {
        List<String> command = new ArrayList<>(List.of("/usr/bin/env", "-i"));
        command.addAll(environment());
        if (databaseUrl != null) {
            command.add("DATABASE_URL=" + databaseUrl);
        }
        command.addAll(List.of(UNSHARE.toString(), "--mount", "--pid", "--fork",
                "--mount-proc=" + root.resolve("proc"), CHROOT.toString(), "--userspec=" + config.get("User"),
                root.toString()));
        List<String> entrypoint = entrypoint();
        command.add(entrypoint.get(0));
        command.addAll(jvmFlags);
        command.addAll(entrypoint.subList(1, entrypoint.size()));
        command.addAll(List.of(args));
        return CliProcess.run(command, Map.of(), false);
    }

    @SuppressWarnings("unchecked")
    private static List<String> entrypoint() {
        return (List<String>) config.get("Entrypoint");
    }

    @SuppressWarnings("unchecked")
    private static List<String> environment() {
        return (List<String>) config.get("Env");
    }

    private static boolean canChroot() {
        return "root".equals(System.getProperty("user.name")) && Files.isExecutable(UNSHARE)
                && Files.isExecutable(CHROOT);
    }

    private static void tar(String... args) {
        List<String> command = new ArrayList<>(List.of("tar"));
        command.addAll(List.of(args));
        CliProcess.Result result = CliProcess.run(command, Map.of(), false);
        assertThat(result.exitCode()).as(result.toString()).isZero();
    }
}
