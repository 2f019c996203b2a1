package dev.tidemark.samples.helm;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks a manifest against Kubernetes' API types, as generated from Kubernetes' OpenAPI schema by fabric8
 * ({@code io.fabric8:kubernetes-model-*}): the apiVersion must be the kind's, every value must bind to its field's
 * type, and every field must exist (fabric8 keeps unknown fields aside, in additionalProperties, and this refuses
 * them). Required fields and value ranges are not checked here; the sample's own tests check the ones that matter.
 */
final class KubernetesModel {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private KubernetesModel() {
    }

    /** The problems found in one parsed document, each naming the field; empty when it is valid. */
    static List<String> problems(Map<String, Object> document) {
        String id = document.get("apiVersion") + " " + document.get("kind");
        Class<? extends HasMetadata> type = switch (id) {
            case "v1 ConfigMap" -> ConfigMap.class;
            case "v1 Secret" -> Secret.class;
            case "apps/v1 Deployment" -> Deployment.class;
            case "batch/v1 Job" -> Job.class;
            default -> null;
        };
        if (type == null) {
            return List.of(id + ": not a kind this check knows (ConfigMap, Secret, Deployment, Job) at its version");
        }
        HasMetadata resource;
        try {
            resource = MAPPER.convertValue(document, type);
        } catch (IllegalArgumentException e) {
            return List.of(id + ": " + e.getMessage());
        }
        List<String> problems = new ArrayList<>();
        unknownFields(resource, document.get("kind").toString(), problems);
        return problems;
    }

    /** Walks the bound model and reports every field the model did not know. */
    private static void unknownFields(Object value, String path, List<String> problems) {
        if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                unknownFields(list.get(i), path + "[" + i + "]", problems);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, element) -> unknownFields(element, path + "." + key, problems));
            return;
        }
        if (value == null || !value.getClass().getName().startsWith("io.fabric8.kubernetes.api.model.")) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || !getter.getName().startsWith("get")
                    || Modifier.isStatic(getter.getModifiers()) || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            Object field;
            try {
                field = getter.invoke(value);
            } catch (IllegalAccessException | InvocationTargetException e) {
                continue;
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (field instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    problems.add(path + ": unknown field(s) " + extra.keySet());
                }
                continue;
            }
            String name = Character.toLowerCase(getter.getName().charAt(3)) + getter.getName().substring(4);
            unknownFields(field, path + "." + name, problems);
        }
    }
}
