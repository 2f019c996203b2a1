package dev.tidemark.samples.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** fleet-indexed-job.yaml: a valid Indexed Job whose pods shard a fleet deploy by their completion index. */
class FleetIndexedJobTests {

    private static final Path FILE = Path.of("fleet-indexed-job.yaml");

    @Test
    void anIndexedJobWithOneShardPerCompletion() throws IOException {
        Map<String, Object> job = new Yaml().load(Files.readString(FILE));
        assertThat(KubernetesModel.problems(job)).isEmpty();
        Map<String, Object> spec = Yamls.map(job.get("spec"));
        assertThat(spec).containsEntry("completionMode", "Indexed").containsKey("parallelism");
        assertThat((Integer) spec.get("backoffLimitPerIndex")).isBetween(1, 5);
        assertThat(Yamls.map(job.get("metadata"))).containsKey("generateName").doesNotContainKey("name");
        Map<String, Object> pod = Yamls.at(spec, "template", "spec");
        assertThat(pod.get("restartPolicy")).isEqualTo("Never");
        Map<String, Object> container = Yamls.map(Yamls.list(pod.get("containers")).get(0));
        List<String> args = Yamls.list(container.get("args"));
        assertThat(args).first().isEqualTo("deploy");
        assertThat(args).contains("--schemas");
        Map<String, Object> shards = Yamls.list(container.get("env")).stream().map(Yamls::map)
                .filter(e -> "TIDEMARK_SHARDS".equals(e.get("name"))).findFirst().orElseThrow();
        assertThat(Integer.parseInt((String) shards.get("value"))).as("shards = completions")
                .isEqualTo(spec.get("completions"));
        assertThat((String) container.get("image")).startsWith("tidemark/tidemark:");

        // the check does catch a misspelt Indexed-Job field
        Map<String, Object> wrong = new Yaml().load(Files.readString(FILE)
                .replace("backoffLimitPerIndex:", "backoffLimitPerIndexes:"));
        assertThat(KubernetesModel.problems(wrong)).singleElement().asString().contains("backoffLimitPerIndexes");
    }
}
