package dev.tidemark.samples.kubernetes;

import java.util.List;
import java.util.Map;

/** Typed access to SnakeYAML's maps and lists. */
final class Yamls {

    private Yamls() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static <T> List<T> list(Object value) {
        return (List<T>) value;
    }

    /** The value at a path of keys, or an assertion error naming the missing key. */
    @SuppressWarnings("unchecked")
    static <T> T at(Map<String, Object> root, String... keys) {
        Object current = root;
        for (String key : keys) {
            if (!(current instanceof Map<?, ?> map) || !map.containsKey(key)) {
                throw new AssertionError("Missing '" + key + "' in " + String.join(".", keys));
            }
            current = map.get(key);
        }
        return (T) current;
    }
}
