package dev.tidemark.cli;

import dev.tidemark.ErrorCode;
import dev.tidemark.FleetTarget;
import dev.tidemark.TidemarkException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A YAML targets file, the form Kubernetes users write (a ConfigMap's value): a list of {@code name}, {@code url},
 * {@code schema}, {@code passwordEnv} entries, or a {@code targets:} key holding one. The core reads JSON and plain
 * lists without a YAML parser; the CLI reads YAML with SnakeYAML's safe constructor (no types, no tags).
 */
final class YamlTargets {

    private static final Set<String> FIELDS = Set.of("name", "url", "schema", "passwordEnv");

    private YamlTargets() {
    }

    static boolean isYaml(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString();
        return name.endsWith(".yaml") || name.endsWith(".yml");
    }

    static List<FleetTarget> read(Path file) {
        Object document;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            document = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark();
            throw invalid(file + (mark == null ? "" : ":" + (mark.getLine() + 1)) + " is not valid YAML: "
                    + e.getProblem() + ". Write a list of targets, each with a url (and an optional name, schema and"
                    + " passwordEnv).");
        } catch (YAMLException | IOException e) {
            throw invalid("Could not read the targets file " + file + ": " + e.getMessage() + ".");
        }
        if (document instanceof Map<?, ?> map && map.containsKey("targets")) {
            document = map.get("targets");
        }
        if (!(document instanceof List<?> entries)) {
            throw invalid("The targets file " + file + " holds no list of targets. Write a YAML list (or a targets:"
                    + " key holding one) of entries with a url and an optional name, schema and passwordEnv.");
        }
        List<FleetTarget> targets = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            String where = "entry " + (i + 1) + " of the targets file " + file;
            if (!(entries.get(i) instanceof Map<?, ?> entry)) {
                throw invalid("The " + where + " is not a mapping. Give each target as url: postgresql://... (and"
                        + " optionally name, schema, passwordEnv).");
            }
            for (Object key : entry.keySet()) {
                if (!FIELDS.contains(String.valueOf(key))) {
                    throw invalid("The " + where + " has the unknown field '" + key + "'. The fields are name, url,"
                            + " schema and passwordEnv.");
                }
            }
            String url = text(entry, "url");
            if (url == null) {
                throw invalid("The " + where + " has no url. Give each target url: postgresql://host:5432/db.");
            }
            String schema = text(entry, "schema");
            String name = text(entry, "name");
            FleetTarget target = new FleetTarget(name != null ? name : FleetTarget.of(url, schema).name(), url,
                    schema, text(entry, "passwordEnv"));
            if (!names.add(target.name())) {
                throw invalid("The targets file " + file + " names the target " + target.name() + " twice. Give"
                        + " every target its own name.");
            }
            targets.add(target);
        }
        if (targets.isEmpty()) {
            throw invalid("The targets file " + file + " lists no target. Add entries with a url.");
        }
        return targets;
    }

    private static String text(Map<?, ?> entry, String field) {
        Object value = entry.get(field);
        return value == null ? null : String.valueOf(value);
    }

    private static TidemarkException invalid(String message) {
        return new TidemarkException(ErrorCode.CONFIGURATION_INVALID, message);
    }
}
