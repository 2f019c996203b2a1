package dev.tidemark.samples.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * Renders the chart in both modes with {@link GoTemplate} (no helm binary needed) and checks the resulting objects:
 * what runs, with which arguments, from which Secret, mounting which ConfigMap, in which hook order.
 */
class RenderedChartTests {

    private static final Path CHART = Path.of("chart/tidemark-app");

    @Test
    void hookModeRendersAPreInstallPreUpgradeJobAfterItsConfigMap() {
        List<Map<String, Object>> objects = render("hook");

        assertThat(objects).extracting(o -> o.get("kind")).containsExactlyInAnyOrder("ConfigMap", "Job",
                "Deployment");
        Map<String, Object> job = find(objects, "Job");
        assertThat(name(job)).isEqualTo("demo-migrate");
        assertThat(annotations(job)).containsEntry("helm.sh/hook", "pre-install,pre-upgrade")
                .containsEntry("helm.sh/hook-weight", "-5")
                .containsEntry("helm.sh/hook-delete-policy", "before-hook-creation");
        Map<String, Object> configMap = find(objects, "ConfigMap");
        assertThat(annotations(configMap)).containsEntry("helm.sh/hook", "pre-install,pre-upgrade")
                .containsEntry("helm.sh/hook-delete-policy", "before-hook-creation,hook-succeeded");
        assertThat(Integer.parseInt((String) annotations(configMap).get("helm.sh/hook-weight")))
                .as("the ConfigMap is created before the Job that mounts it")
                .isLessThan(Integer.parseInt((String) annotations(job).get("helm.sh/hook-weight")));

        Map<String, Object> spec = map(job.get("spec"));
        assertThat(spec).containsEntry("backoffLimit", 1).containsEntry("ttlSecondsAfterFinished", 3600);
        Map<String, Object> pod = map(map(spec.get("template")).get("spec"));
        assertThat(pod).containsEntry("restartPolicy", "Never");
        checkMigrateContainer(single(pod.get("containers")), pod, configMap);

        Map<String, Object> deploymentPod = podOf(find(objects, "Deployment"));
        assertThat(deploymentPod).doesNotContainKey("initContainers");
    }

    @Test
    void theFleetHookIsAnIndexedJobWhosePodsEachDeployTheirShare() {
        List<Map<String, Object>> objects = render("hook", Map.of(),
                values -> map(map(values.get("tidemark")).get("fleet")).put("enabled", true));
        Map<String, Object> job = find(objects, "Job");
        assertThat(KubernetesModel.problems(job)).isEmpty();
        Map<String, Object> spec = map(job.get("spec"));
        assertThat(spec).containsEntry("completionMode", "Indexed").containsEntry("completions", 4)
                .containsEntry("parallelism", 4).containsEntry("backoffLimitPerIndex", 2)
                .doesNotContainKey("backoffLimit");
        Map<String, Object> pod = map(map(spec.get("template")).get("spec"));
        Map<String, Object> container = single(pod.get("containers"));
        @SuppressWarnings("unchecked")
        List<Object> args = (List<Object>) container.get("args");
        assertThat(args).containsSubsequence("deploy", "--schemas", "tenant_*", "--parallel", "4", "--shards", "4");
        // Without the fleet, and in initContainer mode, nothing of it shows.
        assertThat(String.valueOf(single(map(map(map(find(render("hook"), "Job").get("spec")).get("template"))
                .get("spec")).get("containers")).get("args"))).doesNotContain("--shards");
        assertThat(map(find(render("hook"), "Job").get("spec"))).doesNotContainKey("completionMode");
    }

    @Test
    void initContainerModeMigratesInEveryPodAndHasNoHooks() {
        List<Map<String, Object>> objects = render("initContainer");

        assertThat(objects).extracting(o -> o.get("kind")).containsExactlyInAnyOrder("ConfigMap", "Deployment");
        Map<String, Object> configMap = find(objects, "ConfigMap");
        assertThat(annotations(configMap)).isEmpty();
        Map<String, Object> pod = podOf(find(objects, "Deployment"));
        checkMigrateContainer(single(pod.get("initContainers")), pod, configMap);
        assertThat(list(pod.get("containers"))).extracting(c -> c.get("name")).containsExactly("app");
    }

    @Test
    void configMapCarriesTheChartsMigrationsByteForByte() throws IOException {
        Map<String, Object> data = map(find(render("hook"), "ConfigMap").get("binaryData"));
        Map<String, byte[]> expected = new TreeMap<>();
        expected.put("migration_lock.toml", Files.readAllBytes(CHART.resolve("migrations/migration_lock.toml")));
        for (String path : glob().keySet()) {
            expected.put(Path.of(path).getParent().getFileName() + ".sql", Files.readAllBytes(CHART.resolve(path)));
        }
        assertThat(data.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        expected.forEach((key, bytes) -> assertThat(Base64.getDecoder().decode((String) data.get(key))).as(key)
                .isEqualTo(bytes));
    }

    @Test
    void switchingModesOnAnExistingReleaseNeverMeetsALeftoverObjectOfTheOtherMode() {
        for (String[] upgrade : new String[][] {{"hook", "initContainer"}, {"initContainer", "hook"}}) {
            List<Map<String, Object>> before = render(upgrade[0]);
            List<Map<String, Object>> after = render(upgrade[1]);
            String step = upgrade[0] + " -> " + upgrade[1];
            // What Helm creates as release resources must not exist as an unmanaged hook object, or the upgrade
            // fails ("exists and cannot be imported into the current release"); and a hook must not take the name
            // of a release resource, which Helm would then delete after the upgrade.
            assertThat(common(ids(after, false), ids(before, true))).as(step + ": release resources vs the previous"
                    + " hooks").isEmpty();
            assertThat(common(ids(after, true), ids(before, false))).as(step + ": hooks vs the previous release"
                    + " resources").isEmpty();
            assertThat(ids(before, false)).as(step).contains("Deployment/demo");
        }
        // What the hook mode leaves behind goes away by itself: the ConfigMap once the hooks succeed, the Job after
        // its TTL (or when the next hook run replaces it).
        for (Map<String, Object> hook : render("hook").stream().filter(o -> annotations(o).containsKey("helm.sh/hook"))
                .toList()) {
            String policy = (String) annotations(hook).get("helm.sh/hook-delete-policy");
            assertThat(policy).as(name(hook)).contains("before-hook-creation");
            if (hook.get("kind").equals("Job")) {
                assertThat((Integer) map(hook.get("spec")).get("ttlSecondsAfterFinished")).isPositive();
            } else {
                assertThat(policy).as(name(hook)).contains("hook-succeeded");
            }
        }
    }

    @Test
    void keysAreValidForAnyDirectoryNameAndItemsLayOutTheRealNames() {
        Map<String, String> extra = new TreeMap<>();
        extra.put("migrations/20241130164335_add_keys copy/migration.sql", "CREATE TABLE keys_copy (id INT);\n");
        extra.put("migrations/20241201000000_ünïcødé.and.dots/migration.sql", "SELECT 'ü';\n");
        extra.put("migrations/20241202000000_quote\"and\\backslash/migration.sql", "SELECT 2;\n");
        for (String mode : List.of("hook", "initContainer")) {
            List<Map<String, Object>> objects = render(mode, extra);
            Map<String, Object> binaryData = map(find(objects, "ConfigMap").get("binaryData"));
            assertThat(binaryData).hasSize(glob().size() + extra.size() + 1);
            assertThat(binaryData.keySet()).allSatisfy(key -> assertThat(key).matches("[-._a-zA-Z0-9]+")
                    .hasSizeLessThanOrEqualTo(253));
            Map<String, Object> pod = mode.equals("hook") ? map(map(map(find(objects, "Job").get("spec"))
                    .get("template")).get("spec")) : podOf(find(objects, "Deployment"));
            List<Map<String, Object>> items = list(map(list(pod.get("volumes")).get(0).get("configMap")).get("items"));
            // what the kubelet lays out under /migrations is the folder, real names and bytes
            Map<String, String> mounted = new TreeMap<>();
            for (Map<String, Object> item : items) {
                mounted.put("migrations/" + item.get("path"), new String(Base64.getDecoder().decode(
                        (String) binaryData.get((String) item.get("key"))), StandardCharsets.UTF_8));
            }
            Map<String, String> expected = new TreeMap<>(extra);
            glob().forEach((path, text) -> expected.put(path, (String) text));
            expected.put("migrations/migration_lock.toml", read(CHART.resolve("migrations/migration_lock.toml")));
            assertThat(mounted).as(mode).isEqualTo(expected);
        }
    }

    @Test
    void everyRenderedObjectIsValidAgainstKubernetesApiTypes() {
        for (String mode : List.of("hook", "initContainer")) {
            for (Map<String, Object> object : render(mode)) {
                assertThat(KubernetesModel.problems(object)).as(mode + ": " + object.get("kind") + " " + name(object))
                        .isEmpty();
            }
        }
    }

    @Test
    void theApplicationContainerHasProbesAndResources() {
        for (String mode : List.of("hook", "initContainer")) {
            Map<String, Object> app = list(podOf(find(render(mode), "Deployment")).get("containers")).stream()
                    .filter(c -> "app".equals(c.get("name"))).findFirst().orElseThrow();
            assertThat(app).containsKeys("startupProbe", "readinessProbe", "livenessProbe");
            assertThat(map(map(app.get("readinessProbe")).get("httpGet"))).containsEntry("port", "http")
                    .containsEntry("path", "/actuator/health/readiness");
            assertThat(single(app.get("ports"))).containsEntry("name", "http").containsEntry("containerPort", 8080);
            assertThat(map(app.get("resources"))).containsKeys("requests", "limits");
            assertThat(map(map(app.get("resources")).get("limits"))).containsKey("memory");
        }
    }

    private static List<String> common(List<String> a, List<String> b) {
        return a.stream().filter(b::contains).toList();
    }

    /** kind/name of the rendered objects that are hooks, or that are not. */
    private static List<String> ids(List<Map<String, Object>> objects, boolean hooks) {
        return objects.stream().filter(o -> annotations(o).containsKey("helm.sh/hook") == hooks)
                .map(o -> o.get("kind") + "/" + name(o)).toList();
    }

    /** The image name init-container/pom.xml gives Jib, with the project's version filled in. */
    static String builtImage() {
        try {
            String pom = Files.readString(Path.of("../../init-container/pom.xml"));
            Matcher name = Pattern.compile("<tidemark.image.name>([^<]+)</tidemark.image.name>").matcher(pom);
            assertThat(name.find()).as("tidemark.image.name in init-container/pom.xml").isTrue();
            Matcher version = Pattern.compile("<artifactId>tidemark-parent</artifactId>\\s*<version>([^<]+)</version>")
                    .matcher(Files.readString(Path.of("../../pom.xml")));
            assertThat(version.find()).as("the parent's version in pom.xml").isTrue();
            return name.group(1).replace("${project.version}", version.group(1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void checkMigrateContainer(Map<String, Object> container, Map<String, Object> pod,
            Map<String, Object> configMap) {
        assertThat(container).containsEntry("name", "migrate").containsEntry("image", builtImage())
                .doesNotContainKey("command");
        assertThat(container.get("args")).isEqualTo(List.of("deploy", "--wait-for-db", "60s", "--lock-wait",
                "5m"));
        Map<String, Object> url = list(container.get("env")).stream()
                .filter(e -> "DATABASE_URL".equals(e.get("name"))).findFirst().orElseThrow();
        assertThat(map(map(url.get("valueFrom")).get("secretKeyRef")))
                .containsEntry("name", "app-database").containsEntry("key", "DATABASE_URL");
        assertThat(map(container.get("resources"))).containsKeys("requests", "limits");
        assertThat(map(container.get("securityContext"))).containsEntry("runAsNonRoot", true)
                .containsEntry("readOnlyRootFilesystem", true);

        Map<String, Object> mount = single(container.get("volumeMounts"));
        assertThat(mount).containsEntry("mountPath", "/migrations").containsEntry("readOnly", true);
        Map<String, Object> volume = list(pod.get("volumes")).stream()
                .filter(v -> v.get("name").equals(mount.get("name"))).findFirst().orElseThrow();
        Map<String, Object> source = map(volume.get("configMap"));
        assertThat(source.get("name")).isEqualTo(name(configMap));
        List<Map<String, Object>> items = list(source.get("items"));
        assertThat(items).extracting(i -> (String) i.get("key"))
                .containsExactlyInAnyOrderElementsOf(map(configMap.get("binaryData")).keySet());
        for (Map<String, Object> item : items) {
            String key = (String) item.get("key");
            assertThat(item.get("path")).as(key).isEqualTo(key.endsWith(".sql")
                    ? key.substring(0, key.length() - 4) + "/migration.sql" : key);
        }
    }

    /** Renders every template with values.yaml plus {@code tidemark.mode}, as 'helm template demo CHART' would. */
    private static List<Map<String, Object>> render(String mode) {
        return render(mode, Map.of());
    }

    /** Renders with extra chart files (path to text) added to the chart's own. */
    private static List<Map<String, Object>> render(String mode, Map<String, String> extraFiles) {
        return render(mode, extraFiles, values -> { });
    }

    /** Renders with values.yaml edited by {@code edit} first. */
    private static List<Map<String, Object>> render(String mode, Map<String, String> extraFiles,
            java.util.function.Consumer<Map<String, Object>> edit) {
        try {
            Map<String, Object> values = new Yaml().load(Files.readString(CHART.resolve("values.yaml")));
            map(values.get("tidemark")).put("mode", mode);
            edit.accept(values);
            Map<String, Object> chart = new Yaml().load(Files.readString(CHART.resolve("Chart.yaml")));
            Map<String, Object> files = new HashMap<>();
            files.put("Glob", (Function<Object, Object>) pattern -> {
                assertThat(pattern).isEqualTo("migrations/*/migration.sql");
                Map<String, Object> matches = glob();
                matches.putAll(extraFiles);
                return matches;
            });
            files.put("Get", (Function<Object, Object>) path -> extraFiles.containsKey(path) ? extraFiles.get(path)
                    : read(CHART.resolve((String) path)));
            Map<String, Object> root = new LinkedHashMap<>();
            root.put("Values", values);
            root.put("Release", Map.of("Name", "demo", "Namespace", "default", "Revision", 1));
            root.put("Chart", Map.of("Name", chart.get("name"), "Version", chart.get("version"), "AppVersion",
                    chart.get("appVersion")));
            root.put("Files", files);

            GoTemplate engine = new GoTemplate();
            Map<Path, List<GoTemplate.Node>> parsed = new TreeMap<>();
            try (Stream<Path> templates = Files.list(CHART.resolve("templates"))) {
                for (Path template : templates.sorted().toList()) {
                    parsed.put(template, engine.parse(Files.readString(template)));
                }
            }
            List<Map<String, Object>> objects = new ArrayList<>();
            for (Map.Entry<Path, List<GoTemplate.Node>> template : parsed.entrySet()) {
                if (template.getKey().getFileName().toString().startsWith("_")) {
                    continue;
                }
                String yaml = engine.render(template.getValue(), root, root);
                for (Object document : new Yaml().loadAll(yaml)) {
                    if (document != null) {
                        objects.add(map(document));
                    }
                }
            }
            return objects;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Object> glob() {
        Map<String, Object> matches = new TreeMap<>();
        try (Stream<Path> directories = Files.list(CHART.resolve("migrations"))) {
            for (Path directory : directories.filter(Files::isDirectory).toList()) {
                Path script = directory.resolve("migration.sql");
                if (Files.isRegularFile(script)) {
                    matches.put(CHART.relativize(script).toString(), read(script));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return matches;
    }

    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Object> find(List<Map<String, Object>> objects, String kind) {
        return objects.stream().filter(o -> kind.equals(o.get("kind"))).findFirst().orElseThrow();
    }

    private static Map<String, Object> podOf(Map<String, Object> deployment) {
        return map(map(map(deployment.get("spec")).get("template")).get("spec"));
    }

    private static String name(Map<String, Object> object) {
        return (String) map(object.get("metadata")).get("name");
    }

    private static Map<String, Object> annotations(Map<String, Object> object) {
        Object annotations = map(object.get("metadata")).get("annotations");
        return annotations == null ? Map.of() : map(annotations);
    }

    private static Map<String, Object> single(Object value) {
        List<Map<String, Object>> list = list(value);
        assertThat(list).hasSize(1);
        return list.get(0);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object value) {
        return (List<Map<String, Object>>) value;
    }
}
