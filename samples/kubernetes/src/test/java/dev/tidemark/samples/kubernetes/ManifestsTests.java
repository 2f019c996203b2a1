package dev.tidemark.samples.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * Checks the Kubernetes sample the way a reviewer would: the Job and the init container run the tidemark image's
 * 'deploy', read DATABASE_URL from the Secret, and mount a ConfigMap whose items lay out exactly the migrations folder.
 */
class ManifestsTests {

    private static final Path MANIFESTS = Path.of("manifests");
    private static final Path MIGRATIONS = Path.of("migrations");

    static List<Map<String, Object>> documents = new ArrayList<>();

    @BeforeAll
    static void parseManifests() throws IOException {
        try (Stream<Path> files = Files.list(MANIFESTS)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                for (Object document : new Yaml().loadAll(Files.readString(file))) {
                    if (document != null) {
                        documents.add(Yamls.map(document));
                    }
                }
            }
        }
    }

    @Test
    void migrateJobRunsDeployOnceAndCleansUpAfterItself() {
        Map<String, Object> job = resource("Job", "app-migrate");
        Map<String, Object> spec = Yamls.map(job.get("spec"));
        assertThat((Integer) spec.get("ttlSecondsAfterFinished")).isPositive();
        assertThat((Integer) spec.get("backoffLimit")).isBetween(0, 3);
        Map<String, Object> pod = Yamls.at(spec, "template", "spec");
        assertThat(pod.get("restartPolicy")).isEqualTo("Never");
        assertThat(Yamls.<Boolean>at(pod, "securityContext", "runAsNonRoot")).isTrue();

        List<Map<String, Object>> containers = Yamls.list(pod.get("containers"));
        assertThat(containers).hasSize(1);
        checkMigrateContainer(containers.get(0), pod);
    }

    @Test
    void deploymentMigratesInAnInitContainerBeforeTheApplicationStarts() {
        Map<String, Object> pod = Yamls.at(resource("Deployment", "app"), "spec", "template", "spec");
        List<Map<String, Object>> init = Yamls.list(pod.get("initContainers"));
        assertThat(init).hasSize(1);
        checkMigrateContainer(init.get(0), pod);
        assertThat(Yamls.<Map<String, Object>>list(pod.get("containers"))).extracting(c -> c.get("name")).containsExactly("app");
        assertThat(Yamls.<Boolean>at(pod, "securityContext", "runAsNonRoot")).isTrue();
    }

    @Test
    void configMapHoldsTheMigrationsFolderByteForByte() throws IOException {
        Map<String, Object> binaryData = Yamls.map(resource("ConfigMap", "app-migrations").get("binaryData"));
        Set<String> expectedKeys = new TreeSet<>(Set.of("migration_lock.toml"));
        for (String migration : migrationNames()) {
            expectedKeys.add(migration + ".sql");
            assertThat(Base64.getDecoder().decode((String) binaryData.get(migration + ".sql")))
                    .as(migration).isEqualTo(Files.readAllBytes(MIGRATIONS.resolve(migration).resolve("migration.sql")));
        }
        assertThat(binaryData.keySet()).containsExactlyInAnyOrderElementsOf(expectedKeys);
        assertThat(new String(Base64.getDecoder().decode((String) binaryData.get("migration_lock.toml")),
                StandardCharsets.UTF_8)).contains("provider = \"postgresql\"");
    }

    @Test
    void configMapIsWhatTheScriptGeneratesFromTheFolder() throws Exception {
        Process process = new ProcessBuilder("bash", "configmap-from-folder.sh", "app-migrations", "migrations")
                .redirectErrorStream(true).start();
        String generated = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(generated).isZero();

        assertThat(Files.readString(MANIFESTS.resolve("migrations-configmap.yaml"))).isEqualTo(generated);
    }

    @Test
    void secretHoldsAPrismaStyleUrl() {
        Map<String, Object> secret = resource("Secret", "app-database");
        String url = Yamls.at(secret, "stringData", "DATABASE_URL");
        assertThat(url).startsWith("postgresql://").contains("?schema=");
    }

    private void checkMigrateContainer(Map<String, Object> container, Map<String, Object> pod) {
        assertThat((String) container.get("image")).startsWith("tidemark/tidemark:");
        List<String> args = Yamls.list(container.get("args"));
        assertThat(args).first().isEqualTo("deploy");
        assertThat(args).contains("--wait-for-db");
        assertThat(container).doesNotContainKey("command");

        Map<String, Object> url = Yamls.list(container.get("env")).stream().map(Yamls::map)
                .filter(e -> "DATABASE_URL".equals(e.get("name"))).findFirst().orElseThrow();
        Map<String, Object> secretRef = Yamls.at(url, "valueFrom", "secretKeyRef");
        Map<String, Object> secret = resource("Secret", (String) secretRef.get("name"));
        assertThat(Yamls.map(secret.get("stringData"))).containsKey((String) secretRef.get("key"));

        Map<String, Object> mount = Yamls.list(container.get("volumeMounts")).stream().map(Yamls::map)
                .filter(m -> "/migrations".equals(m.get("mountPath"))).findFirst().orElseThrow();
        assertThat(mount.get("readOnly")).isEqualTo(true);
        Map<String, Object> volume = Yamls.list(pod.get("volumes")).stream().map(Yamls::map)
                .filter(v -> v.get("name").equals(mount.get("name"))).findFirst().orElseThrow();
        Map<String, Object> configMapVolume = Yamls.map(volume.get("configMap"));
        Map<String, Object> configMap = resource("ConfigMap", (String) configMapVolume.get("name"));
        Set<String> keys = Yamls.map(configMap.get("binaryData")).keySet();

        List<Map<String, Object>> items = Yamls.list(configMapVolume.get("items"));
        assertThat(items).extracting(i -> (String) i.get("key")).containsExactlyInAnyOrderElementsOf(keys);
        for (Map<String, Object> item : items) {
            String key = (String) item.get("key");
            String expectedPath = key.equals("migration_lock.toml") ? key
                    : key.substring(0, key.length() - ".sql".length()) + "/migration.sql";
            assertThat(item.get("path")).as(key).isEqualTo(expectedPath);
        }

        Map<String, Object> security = Yamls.map(container.getOrDefault("securityContext", Map.of()));
        assertThat(security).containsEntry("allowPrivilegeEscalation", false)
                .containsEntry("readOnlyRootFilesystem", true);
    }

    private static Map<String, Object> resource(String kind, String name) {
        return documents.stream()
                .filter(d -> kind.equals(d.get("kind")) && name.equals(Yamls.at(d, "metadata", "name")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("No " + kind + " named " + name + " in " + MANIFESTS));
    }

    private static List<String> migrationNames() throws IOException {
        try (Stream<Path> children = Files.list(MIGRATIONS)) {
            return children.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
