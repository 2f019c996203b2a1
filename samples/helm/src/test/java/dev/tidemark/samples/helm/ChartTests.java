package dev.tidemark.samples.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * Checks the chart's files and the templates' text: the parts that matter are there, guarded by the right mode, and
 * every value they read exists ({@link RenderedChartTests} checks the rendered objects). With helm on the PATH (not
 * the case on Tidemark's build machines) it also runs {@code helm lint} and {@code helm template} in both modes.
 */
class ChartTests {

    private static final Path CHART = Path.of("chart/tidemark-app");
    private static final Pattern VALUE_REFERENCE = Pattern.compile("\\.Values((?:\\.[A-Za-z0-9_]+)+)");

    @Test
    void chartAndValuesAreWellFormed() throws IOException {
        Map<String, Object> chart = yaml(CHART.resolve("Chart.yaml"));
        assertThat(chart).containsEntry("apiVersion", "v2").containsEntry("name", "tidemark-app")
                .containsKeys("version", "appVersion");

        Map<String, Object> values = yaml(CHART.resolve("values.yaml"));
        assertThat(this.<String>value(values, "tidemark.mode")).isIn("hook", "initContainer");
        assertThat(this.<String>value(values, "tidemark.image.repository")).isEqualTo("tidemark/tidemark");
        assertThat(this.<String>value(values, "tidemark.hook.deletePolicy")).isNotBlank();
        assertThat(this.<String>value(values, "database.secretKey")).isEqualTo("DATABASE_URL");
    }

    @Test
    void everyValueTheTemplatesReadIsDefined() throws IOException {
        Map<String, Object> values = yaml(CHART.resolve("values.yaml"));
        List<String> missing = new ArrayList<>();
        for (Path template : templates()) {
            Matcher matcher = VALUE_REFERENCE.matcher(Files.readString(template));
            while (matcher.find()) {
                String path = matcher.group(1).substring(1);
                if (lookup(values, path) == null) {
                    missing.add(template.getFileName() + ": .Values." + path);
                }
            }
        }
        assertThat(missing).isEmpty();
    }

    @Test
    void blocksAreBalanced() throws IOException {
        for (Path template : templates()) {
            String text = Files.readString(template);
            int opened = count(text, "\\{\\{-?\\s*(if|range|define|with)\\b");
            int closed = count(text, "\\{\\{-?\\s*end\\s*-?}}");
            assertThat(closed).as(template.toString()).isEqualTo(opened);
        }
    }

    @Test
    void hookJobRunsDeployBeforeInstallAndUpgradeOnlyInHookMode() throws IOException {
        String job = Files.readString(CHART.resolve("templates/migrate-job.yaml"));
        assertThat(job.strip()).startsWith("{{- if eq .Values.tidemark.mode \"hook\" }}").endsWith("{{- end }}");
        assertThat(job).contains("kind: Job", "\"helm.sh/hook\": pre-install,pre-upgrade",
                "\"helm.sh/hook-weight\": {{ .Values.tidemark.hook.weight | quote }}",
                "\"helm.sh/hook-delete-policy\": {{ .Values.tidemark.hook.deletePolicy }}",
                "restartPolicy: Never", "backoffLimit:", "ttlSecondsAfterFinished:",
                "include \"tidemark-app.migrateContainer\"", "include \"tidemark-app.migrationsVolume\"");
    }

    @Test
    void initContainerOnlyInInitContainerMode() throws IOException {
        String deployment = Files.readString(CHART.resolve("templates/deployment.yaml"));
        String guarded = between(deployment, "{{- if eq .Values.tidemark.mode \"initContainer\" }}", "{{- end }}");
        assertThat(guarded).contains("initContainers:", "include \"tidemark-app.migrateContainer\"",
                "include \"tidemark-app.migrationsVolume\"");
        assertThat(deployment.replace(guarded, "")).doesNotContain("tidemark-app.migrateContainer");
    }

    @Test
    void migrationsConfigMapIsGeneratedFromTheChartsFilesAndIsAHookBeforeTheJob() throws IOException {
        String configMap = Files.readString(CHART.resolve("templates/migrations-configmap.yaml"));
        assertThat(configMap).contains("kind: ConfigMap", "binaryData:",
                "range $path, $_ := .Files.Glob \"migrations/*/migration.sql\"",
                "{{ include \"tidemark-app.migrationKey\" (base (dir $path)) }}: {{ $.Files.Get $path | b64enc }}",
                "migration_lock.toml: {{ .Files.Get \"migrations/migration_lock.toml\" | b64enc }}");
        String hook = between(configMap, "{{- if eq .Values.tidemark.mode \"hook\" }}", "{{- end }}");
        assertThat(hook).contains("\"helm.sh/hook\": pre-install,pre-upgrade",
                "\"helm.sh/hook-delete-policy\": before-hook-creation");
        Matcher weight = Pattern.compile("\"helm.sh/hook-weight\": \"(-?\\d+)\"").matcher(hook);
        assertThat(weight.find()).isTrue();
        int jobWeight = Integer.parseInt(value(yaml(CHART.resolve("values.yaml")), "tidemark.hook.weight"));
        assertThat(Integer.parseInt(weight.group(1))).as("the ConfigMap exists before the Job mounts it")
                .isLessThan(jobWeight);
    }

    @Test
    void migrateContainerRunsTheImageWithTheSecretAndTheMount() throws IOException {
        String helpers = Files.readString(CHART.resolve("templates/_helpers.tpl"));
        String container = between(helpers, "{{- define \"tidemark-app.migrateContainer\" -}}", "{{- end }}");
        assertThat(container).contains(
                "image: \"{{ .Values.tidemark.image.repository }}:{{ .Values.tidemark.image.tag }}\"",
                "args: [\"deploy\"",
                "name: DATABASE_URL", "secretKeyRef:", "name: {{ .Values.database.secretName }}",
                "key: {{ .Values.database.secretKey }}",
                "mountPath: /migrations", "readOnly: true", "runAsNonRoot: true", "readOnlyRootFilesystem: true");
        assertThat(container).doesNotContain("command:");
        String volume = between(helpers, "{{- define \"tidemark-app.migrationsVolume\" -}}", "{{- end }}\n");
        assertThat(volume).contains("configMap:", "include \"tidemark-app.migrationsConfigMap\"",
                "- key: {{ include \"tidemark-app.migrationKey\" (base (dir $path)) }}",
                "path: {{ trimPrefix \"migrations/\" $path | quote }}",
                "- key: migration_lock.toml");
    }

    @Test
    void helmsTimeoutVersusTheJobsDeadlineIsDocumented() throws IOException {
        String values = Files.readString(CHART.resolve("values.yaml"));
        String job = between(values, "  job:", "ttlSecondsAfterFinished");
        assertThat(job).contains("activeDeadlineSeconds:", "--timeout", "default 5m");
        int deadline = ((Number) value(yaml(CHART.resolve("values.yaml")), "tidemark.job.activeDeadlineSeconds"))
                .intValue();
        Matcher advised = Pattern.compile("--timeout (\\d+)m").matcher(job);
        assertThat(advised.find()).isTrue();
        assertThat(Integer.parseInt(advised.group(1)) * 60).as("the advised --timeout outlasts the deadline")
                .isGreaterThan(deadline);
    }

    @Test
    void chartCarriesAPrismaMigrationsFolder() throws IOException {
        Path migrations = CHART.resolve("migrations");
        assertThat(Files.readString(migrations.resolve("migration_lock.toml"))).isEqualTo(
                "# Please do not edit this file manually\n"
                        + "# It should be added in your version-control system (e.g., Git)\n"
                        + "provider = \"postgresql\"\n");
        try (Stream<Path> children = Files.list(migrations)) {
            List<Path> directories = children.filter(Files::isDirectory).toList();
            assertThat(directories).isNotEmpty();
            for (Path directory : directories) {
                assertThat(directory.getFileName().toString()).matches("\\d{14}_[A-Za-z0-9_-]+");
                assertThat(directory.resolve("migration.sql")).isRegularFile();
            }
        }
    }

    @Test
    void helmLintAndTemplateRenderBothModes() throws Exception {
        assumeTrue(helmAvailable(), "helm is not installed here; the text checks above still ran");

        assertThat(helm("lint", CHART.toString())).contains("0 chart(s) failed");

        List<Map<String, Object>> hook = documents(helm("template", "demo", CHART.toString(),
                "--set", "tidemark.mode=hook"));
        Map<String, Object> job = find(hook, "Job");
        assertThat(annotations(job)).containsEntry("helm.sh/hook", "pre-install,pre-upgrade");
        assertThat(annotations(find(hook, "ConfigMap"))).containsKey("helm.sh/hook");
        Map<String, Object> configMap = find(hook, "ConfigMap");
        Map<String, Object> data = map(configMap.get("binaryData"));
        for (Map.Entry<String, Object> entry : data.entrySet()) {
            String key = entry.getKey();
            Path file = key.equals("migration_lock.toml") ? CHART.resolve("migrations").resolve(key)
                    : CHART.resolve("migrations").resolve(key.replaceAll("\\.sql$", "")).resolve("migration.sql");
            assertThat(Base64.getDecoder().decode((String) entry.getValue())).isEqualTo(Files.readAllBytes(file));
        }

        List<Map<String, Object>> init = documents(helm("template", "demo", CHART.toString(),
                "--set", "tidemark.mode=initContainer"));
        assertThat(init).noneMatch(d -> "Job".equals(d.get("kind")));
        Map<String, Object> pod = map(map(map(find(init, "Deployment").get("spec")).get("template")).get("spec"));
        assertThat((List<?>) pod.get("initContainers")).hasSize(1);
    }

    private static boolean helmAvailable() {
        String path = System.getenv("PATH");
        return path != null && Stream.of(path.split(File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, "helm")));
    }

    private static String helm(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("helm"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(output).isZero();
        return output;
    }

    private static List<Map<String, Object>> documents(String yaml) {
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Object document : new Yaml().loadAll(yaml)) {
            if (document != null) {
                documents.add(map(document));
            }
        }
        return documents;
    }

    private static Map<String, Object> find(List<Map<String, Object>> documents, String kind) {
        return documents.stream().filter(d -> kind.equals(d.get("kind"))).findFirst().orElseThrow();
    }

    private static Map<String, Object> annotations(Map<String, Object> resource) {
        return map(map(resource.get("metadata")).getOrDefault("annotations", Map.of()));
    }

    private static List<Path> templates() throws IOException {
        try (Stream<Path> files = Files.list(CHART.resolve("templates"))) {
            return files.sorted().toList();
        }
    }

    private static int count(String text, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        int count = 0;
        while (matcher.find()) {
            count++;
        }
        return count;
    }

    private static String between(String text, String start, String end) {
        int from = text.indexOf(start);
        assertThat(from).as("'" + start + "' in the template").isNotNegative();
        int to = text.indexOf(end, from + start.length());
        assertThat(to).as("'" + end + "' after '" + start + "'").isPositive();
        return text.substring(from, to);
    }

    @SuppressWarnings("unchecked")
    private <T> T value(Map<String, Object> values, String path) {
        return (T) lookup(values, path);
    }

    private static Object lookup(Map<String, Object> values, String path) {
        Object current = values;
        for (String key : path.split("\\.")) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(key);
        }
        return current;
    }

    private static Map<String, Object> yaml(Path file) throws IOException {
        return map(new Yaml().load(Files.readString(file)));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }
}
