package dev.tidemark.cli;

import java.util.List;
import java.util.Map;

/** Casts for data parsed by SnakeYAML. */
final class Parsed {

    private Parsed() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    static Map<String, Object> first(Object list) {
        return map(((List<?>) list).get(0));
    }
}
