package dev.tidemark.samples.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * Checks the Kubernetes sample the way a reviewer would: 'kubectl apply -f manifests/' creates the ConfigMap and the
 * Deployment and never a Secret; the Job (jobs/) is created anew per release; both run the image the build makes,
 * read DATABASE_URL from the Secret, and mount a ConfigMap whose generated items lay out exactly the migrations
 * folder, whatever its directory names.
 */
class ManifestsTests {

    private static final Path MANIFESTS = Path.of("manifests");
    private static final Path JOBS = Path.of("jobs");
    private static final Path EXAMPLES = Path.of("examples");
    private static final Path MIGRATIONS = Path.of("migrations");
    /** What Kubernetes accepts as a ConfigMap key. */
    private static final Pattern CONFIG_MAP_KEY = Pattern.compile("[-._a-zA-Z0-9]+");

    static List<Map<String, Object>> applied = new ArrayList<>();
    static List<Map<String, Object>> documents = new ArrayList<>();

    @TempDir
    Path tmp;

    @BeforeAll
    static void parseManifests() throws IOException {
        applied.addAll(parse(MANIFESTS));
        documents.addAll(applied);
        documents.addAll(parse(JOBS));
        documents.addAll(parse(EXAMPLES));
    }

    @Test
    void applyingTheManifestsFolderNeverOverwritesTheUsersSecret() {
        assertThat(applied).extracting(d -> d.get("kind")).containsExactlyInAnyOrder("ConfigMap", "Deployment");
        Map<String, Object> example = resource("Secret", "app-database");
        String url = Yamls.at(example, "stringData", "DATABASE_URL");
        assertThat(url).startsWith("postgresql://").contains("?schema=");
    }

    @Test
    void migrateJobRunsDeployOnceAndCanBeCreatedAgainForTheNextRelease() throws IOException {
        Map<String, Object> job = documents.stream().filter(d -> "Job".equals(d.get("kind"))).findFirst()
                .orElseThrow();
        Map<String, Object> metadata = Yamls.map(job.get("metadata"));
        // A Job's template is immutable: a fixed name would make the next release's 'apply' fail or do nothing.
        assertThat(metadata).containsEntry("generateName", "app-migrate-").doesNotContainKey("name");
        assertThat(Files.readString(JOBS.resolve("migrate-job.yaml"))).contains("kubectl create -f jobs/migrate-job.yaml");
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
    void deploymentMigratesInAnInitContainerBeforeTheApplicationStarts() throws IOException {
        Map<String, Object> pod = Yamls.at(resource("Deployment", "app"), "spec", "template", "spec");
        List<Map<String, Object>> init = Yamls.list(pod.get("initContainers"));
        assertThat(init).hasSize(1);
        checkMigrateContainer(init.get(0), pod);
        assertThat(Yamls.<Map<String, Object>>list(pod.get("containers"))).extracting(c -> c.get("name"))
                .containsExactly("app");
        Map<String, Object> app = Yamls.<Map<String, Object>>list(pod.get("containers")).get(0);
        assertThat(app).containsKeys("startupProbe", "readinessProbe", "livenessProbe", "resources");
        assertThat(Yamls.<Boolean>at(pod, "securityContext", "runAsNonRoot")).isTrue();
    }

    @Test
    void configMapHoldsTheMigrationsFolderByteForByte() throws IOException {
        Map<String, Object> configMap = resource("ConfigMap", "app-migrations");
        Map<String, Object> pod = Yamls.at(resource("Deployment", "app"), "spec", "template", "spec");
        Path mounted = mount(configMap, items(pod), tmp.resolve("mounted"));

        assertThat(tree(mounted)).isEqualTo(tree(MIGRATIONS));
    }

    @Test
    void theCommittedConfigMapAndItemsAreWhatTheScriptGenerates() throws Exception {
        Path job = copy(JOBS.resolve("migrate-job.yaml"), tmp.resolve("job.yaml"));
        Path deployment = copy(MANIFESTS.resolve("deployment-init-container.yaml"), tmp.resolve("deployment.yaml"));

        String generated = generate("app-migrations", MIGRATIONS, job, deployment);

        assertThat(Files.readString(MANIFESTS.resolve("migrations-configmap.yaml"))).isEqualTo(generated);
        assertThat(Files.readString(job)).isEqualTo(Files.readString(JOBS.resolve("migrate-job.yaml")));
        assertThat(Files.readString(deployment))
                .isEqualTo(Files.readString(MANIFESTS.resolve("deployment-init-container.yaml")));
    }

    @Test
    void keysAreValidForAnyDirectoryNameAndItemsLayOutTheRealNames() throws Exception {
        Path folder = tmp.resolve("history");
        Map<String, String> scripts = new LinkedHashMap<>();
        scripts.put("20241130164335_add_keys", "CREATE TABLE keys (id INT);\n");
        scripts.put("20241130164335_add_keys copy", "CREATE TABLE keys_copy (id INT);\n");
        scripts.put("20241201000000_ünïcødé.and.dots", "SELECT 'ü';\n");
        scripts.put("20241202000000_a.20b", "SELECT 1;\n");
        scripts.put("20241203000000_quote\"and\\backslash", "SELECT 2;\n");
        for (Map.Entry<String, String> script : scripts.entrySet()) {
            Files.createDirectories(folder.resolve(script.getKey()));
            Files.writeString(folder.resolve(script.getKey()).resolve("migration.sql"), script.getValue());
        }
        Files.writeString(folder.resolve("migration_lock.toml"), "provider = \"postgresql\"\n");
        Path deployment = copy(MANIFESTS.resolve("deployment-init-container.yaml"), tmp.resolve("deployment.yaml"));

        Map<String, Object> configMap = Yamls.map(new Yaml().load(generate("history", folder, deployment)));
        Map<String, Object> pod = Yamls.at(Yamls.map(new Yaml().load(Files.readString(deployment))), "spec",
                "template", "spec");

        Set<String> keys = Yamls.map(configMap.get("binaryData")).keySet();
        assertThat(keys).hasSize(scripts.size() + 1).allSatisfy(key -> assertThat(key).matches(CONFIG_MAP_KEY)
                .hasSizeLessThanOrEqualTo(253));
        assertThat(items(pod)).extracting(i -> (String) i.get("path")).contains(
                "20241130164335_add_keys copy/migration.sql", "20241203000000_quote\"and\\backslash/migration.sql");
        assertThat(tree(mount(configMap, items(pod), tmp.resolve("mounted")))).isEqualTo(tree(folder));
    }

    @Test
    void everyManifestIsValidAgainstKubernetesApiTypes() throws Exception {
        assertThat(documents).hasSize(4);
        for (Map<String, Object> document : documents) {
            assertThat(KubernetesModel.problems(document)).as(document.get("kind") + " " + document.get("metadata"))
                    .isEmpty();
        }
        // and the check does catch a misspelt field and a wrong type
        Map<String, Object> deployment = new Yaml().load(Files.readString(
                MANIFESTS.resolve("deployment-init-container.yaml")).replace("initContainers:", "initContainer:"));
        assertThat(KubernetesModel.problems(deployment)).singleElement().asString().contains("initContainer");
        Map<String, Object> job = new Yaml().load(Files.readString(JOBS.resolve("migrate-job.yaml"))
                .replace("backoffLimit: 2", "backoffLimit: twice"));
        assertThat(KubernetesModel.problems(job)).singleElement().asString().contains("twice");
    }

    @Test
    void everyTidemarkImageIsTheOneTheBuildProduces() throws IOException {
        String image = builtImage();
        assertThat(image).isEqualTo("tidemark/tidemark:" + projectVersion());
        List<String> images = new ArrayList<>();
        for (Map<String, Object> document : documents) {
            if (document.get("kind").equals("Job") || document.get("kind").equals("Deployment")) {
                Map<String, Object> pod = Yamls.at(document, "spec", "template", "spec");
                for (String list : List.of("initContainers", "containers")) {
                    for (Object container : Yamls.<Object>list(pod.getOrDefault(list, List.of()))) {
                        images.add((String) Yamls.map(container).get("image"));
                    }
                }
            }
        }
        assertThat(images).filteredOn(i -> i.startsWith("tidemark/")).hasSize(2).containsOnly(image);
    }

    private void checkMigrateContainer(Map<String, Object> container, Map<String, Object> pod) throws IOException {
        assertThat((String) container.get("image")).isEqualTo(builtImage());
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
        Map<String, Object> configMap = resource("ConfigMap", (String) Yamls.map(volume(pod).get("configMap"))
                .get("name"));
        Set<String> keys = Yamls.map(configMap.get("binaryData")).keySet();
        assertThat(items(pod)).extracting(i -> (String) i.get("key")).containsExactlyInAnyOrderElementsOf(keys);

        Map<String, Object> security = Yamls.map(container.getOrDefault("securityContext", Map.of()));
        assertThat(security).containsEntry("allowPrivilegeEscalation", false)
                .containsEntry("readOnlyRootFilesystem", true);
    }

    private static Map<String, Object> volume(Map<String, Object> pod) {
        return Yamls.list(pod.get("volumes")).stream().map(Yamls::map)
                .filter(v -> v.containsKey("configMap")).findFirst().orElseThrow();
    }

    private static List<Map<String, Object>> items(Map<String, Object> pod) {
        return Yamls.list(Yamls.map(volume(pod).get("configMap")).get("items"));
    }

    /** What the kubelet does with a ConfigMap volume: each item's key written to its path. */
    private static Path mount(Map<String, Object> configMap, List<Map<String, Object>> items, Path at)
            throws IOException {
        Map<String, Object> binaryData = Yamls.map(configMap.get("binaryData"));
        for (Map<String, Object> item : items) {
            Path file = at.resolve((String) item.get("path"));
            Files.createDirectories(file.getParent());
            Files.write(file, Base64.getDecoder().decode((String) binaryData.get((String) item.get("key"))));
        }
        return at;
    }

    /** Each file of a folder by relative path, with its bytes as Base64 (comparable, printable). */
    private static Map<String, String> tree(Path root) throws IOException {
        Map<String, String> files = new java.util.TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                files.put(root.relativize(file).toString(), Base64.getEncoder().encodeToString(Files.readAllBytes(file)));
            }
        }
        return files;
    }

    private static String generate(String name, Path folder, Path... manifests) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", "configmap-from-folder.sh", name, folder.toString()));
        for (Path manifest : manifests) {
            command.add(manifest.toString());
        }
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String generated = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(generated).isZero();
        return generated;
    }

    private static Path copy(Path from, Path to) throws IOException {
        return Files.copy(from, to);
    }

    /** The image name init-container/pom.xml gives Jib, with the project's version filled in. */
    static String builtImage() throws IOException {
        String pom = Files.readString(Path.of("../../init-container/pom.xml"));
        Matcher name = Pattern.compile("<tidemark.image.name>([^<]+)</tidemark.image.name>").matcher(pom);
        assertThat(name.find()).as("tidemark.image.name in init-container/pom.xml").isTrue();
        return name.group(1).replace("${project.version}", projectVersion());
    }

    static String projectVersion() throws IOException {
        String pom = Files.readString(Path.of("../../pom.xml"));
        Matcher version = Pattern.compile("<artifactId>tidemark-parent</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(pom);
        assertThat(version.find()).as("the parent's version in pom.xml").isTrue();
        return version.group(1);
    }

    private static Map<String, Object> resource(String kind, String name) {
        return documents.stream()
                .filter(d -> kind.equals(d.get("kind")) && name.equals(Yamls.at(d, "metadata", "name")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("No " + kind + " named " + name));
    }

    private static List<Map<String, Object>> parse(Path folder) throws IOException {
        List<Map<String, Object>> parsed = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                for (Object document : new Yaml().loadAll(Files.readString(file))) {
                    if (document != null) {
                        parsed.add(Yamls.map(document));
                    }
                }
            }
        }
        return parsed;
    }
}
