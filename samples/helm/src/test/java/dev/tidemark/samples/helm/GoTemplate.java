package dev.tidemark.samples.helm;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Renders the small subset of Helm's Go templates that the sample chart uses, so that the chart can be checked as
 * rendered YAML on machines without a helm binary: actions with trim markers, comments, {@code define},
 * {@code include}, {@code if}, {@code range $k, $v := ...}, field paths on {@code .} and {@code $}, variables,
 * string literals, parentheses, pipelines, and the functions {@code eq not quote b64enc base dir trimPrefix regexMatch
 * sha256sum toYaml indent nindent}.
 * Anything else is an error, so a template that outgrows the subset fails the test instead of rendering wrongly.
 */
final class GoTemplate {

    private final Map<String, List<Node>> defines = new HashMap<>();

    sealed interface Node permits Text, Action, If, Range {
    }

    record Text(String text) implements Node {
    }

    record Action(String pipeline) implements Node {
    }

    record If(String condition, List<Node> body) implements Node {
    }

    record Range(String keyVariable, String valueVariable, String pipeline, List<Node> body) implements Node {
    }

    /** Parses a template file; its {@code define}s become available to {@code include}. */
    List<Node> parse(String source) {
        List<Object> tokens = tokenize(source);
        int[] position = {0};
        List<Node> nodes = parseBlock(tokens, position);
        if (position[0] != tokens.size()) {
            throw new IllegalArgumentException("unexpected {{ end }}");
        }
        return nodes;
    }

    String render(List<Node> nodes, Object dot, Map<String, Object> root) {
        StringBuilder out = new StringBuilder();
        render(nodes, dot, new Scope(root, new HashMap<>()), out);
        return out.toString();
    }

    private record Scope(Map<String, Object> root, Map<String, Object> variables) {
    }

    private void render(List<Node> nodes, Object dot, Scope scope, StringBuilder out) {
        for (Node node : nodes) {
            if (node instanceof Text text) {
                out.append(text.text());
            } else if (node instanceof Action action) {
                Object value = evaluate(action.pipeline(), dot, scope);
                out.append(value == null ? "" : value);
            } else if (node instanceof If branch) {
                Object condition = evaluate(branch.condition(), dot, scope);
                if (truthy(condition)) {
                    render(branch.body(), dot, scope, out);
                }
            } else if (node instanceof Range range) {
                Object collection = evaluate(range.pipeline(), dot, scope);
                if (!(collection instanceof Map<?, ?> map)) {
                    throw new IllegalArgumentException("range over a non-map: " + range.pipeline());
                }
                for (Map.Entry<?, ?> entry : new TreeMap<>(map).entrySet()) {
                    Map<String, Object> variables = new HashMap<>(scope.variables());
                    variables.put(range.keyVariable(), entry.getKey());
                    variables.put(range.valueVariable(), entry.getValue());
                    render(range.body(), entry.getValue(), new Scope(scope.root(), variables), out);
                }
            }
        }
    }

    private static boolean truthy(Object value) {
        return value != null && !Boolean.FALSE.equals(value) && !"".equals(value);
    }

    // ---- parsing

    /** Text strings and action strings (wrapped in an Action) with trim markers applied. */
    private static List<Object> tokenize(String source) {
        List<Object> tokens = new ArrayList<>();
        int i = 0;
        boolean trimNext = false;
        while (i < source.length()) {
            int open = source.indexOf("{{", i);
            String text = source.substring(i, open < 0 ? source.length() : open);
            if (trimNext) {
                text = text.stripLeading();
            }
            if (open < 0) {
                tokens.add(text);
                break;
            }
            int close = source.indexOf("}}", open);
            String inner = source.substring(open + 2, close);
            if (inner.startsWith("-")) {
                text = text.stripTrailing();
                inner = inner.substring(1);
            }
            trimNext = inner.endsWith("-");
            if (trimNext) {
                inner = inner.substring(0, inner.length() - 1);
            }
            tokens.add(text);
            inner = inner.strip();
            if (!(inner.startsWith("/*") && inner.endsWith("*/"))) {
                tokens.add(new Action(inner));
            }
            i = close + 2;
        }
        return tokens;
    }

    private List<Node> parseBlock(List<Object> tokens, int[] position) {
        List<Node> nodes = new ArrayList<>();
        while (position[0] < tokens.size()) {
            Object token = tokens.get(position[0]++);
            if (token instanceof String text) {
                if (!text.isEmpty()) {
                    nodes.add(new Text(text));
                }
                continue;
            }
            String action = ((Action) token).pipeline();
            if (action.equals("end")) {
                position[0]--;
                return nodes;
            }
            if (action.startsWith("if ")) {
                nodes.add(new If(action.substring(3).strip(), parseBody(tokens, position)));
            } else if (action.startsWith("range ")) {
                String spec = action.substring(6).strip();
                int assign = spec.indexOf(":=");
                String[] variables = spec.substring(0, assign).split(",");
                nodes.add(new Range(variables[0].strip(), variables[1].strip(), spec.substring(assign + 2).strip(),
                        parseBody(tokens, position)));
            } else if (action.startsWith("define ")) {
                String name = unquote(action.substring(7).strip());
                defines.put(name, parseBody(tokens, position));
            } else if (action.startsWith("else") || action.startsWith("with ") || action.startsWith("template ")) {
                throw new IllegalArgumentException("not in the supported subset: {{ " + action + " }}");
            } else {
                nodes.add(new Action(action));
            }
        }
        return nodes;
    }

    private List<Node> parseBody(List<Object> tokens, int[] position) {
        List<Node> body = parseBlock(tokens, position);
        if (position[0] >= tokens.size()) {
            throw new IllegalArgumentException("missing {{ end }}");
        }
        position[0]++;
        return body;
    }

    // ---- evaluation

    private Object evaluate(String pipeline, Object dot, Scope scope) {
        Object value = null;
        boolean first = true;
        for (String command : split(pipeline, '|')) {
            List<String> words = split(command.strip(), ' ');
            List<Object> arguments = new ArrayList<>();
            String head = words.get(0);
            for (String word : words.subList(1, words.size())) {
                arguments.add(operand(word, dot, scope));
            }
            if (!first) {
                arguments.add(value);
            }
            value = isFunction(head) ? call(head, arguments, scope)
                    : apply(operand(head, dot, scope), arguments, head);
            first = false;
        }
        return value;
    }

    private static Object apply(Object head, List<Object> arguments, String name) {
        if (head instanceof Function<?, ?> function) {
            @SuppressWarnings("unchecked")
            Function<Object, Object> method = (Function<Object, Object>) function;
            return method.apply(arguments.get(0));
        }
        if (!arguments.isEmpty()) {
            throw new IllegalArgumentException(name + " is not a function");
        }
        return head;
    }

    private Object operand(String word, Object dot, Scope scope) {
        if (word.startsWith("\"")) {
            return unquote(word);
        }
        if (word.startsWith("(")) {
            return evaluate(word.substring(1, word.length() - 1), dot, scope);
        }
        if (word.matches("-?\\d+")) {
            return Integer.parseInt(word);
        }
        if (word.equals(".")) {
            return dot;
        }
        if (word.startsWith(".")) {
            return path(dot, word.substring(1));
        }
        if (word.equals("$")) {
            return scope.root();
        }
        if (word.startsWith("$.")) {
            return path(scope.root(), word.substring(2));
        }
        if (word.startsWith("$")) {
            if (!scope.variables().containsKey(word)) {
                throw new IllegalArgumentException("undefined variable " + word);
            }
            return scope.variables().get(word);
        }
        throw new IllegalArgumentException("not in the supported subset: " + word);
    }

    private static Object path(Object from, String path) {
        Object current = from;
        for (String key : path.split("\\.")) {
            if (!(current instanceof Map<?, ?> map) || !map.containsKey(key)) {
                throw new IllegalArgumentException("no value at ." + path);
            }
            current = map.get(key);
        }
        return current;
    }

    private static boolean isFunction(String name) {
        return List.of("eq", "not", "include", "quote", "b64enc", "base", "dir", "trimPrefix", "regexMatch",
                "sha256sum", "toYaml", "indent", "nindent").contains(name);
    }

    private Object call(String function, List<Object> arguments, Scope scope) {
        return switch (function) {
            case "eq" -> String.valueOf(arguments.get(0)).equals(String.valueOf(arguments.get(1)));
            case "not" -> !truthy(arguments.get(0));
            case "trimPrefix" -> {
                String prefix = String.valueOf(arguments.get(0));
                String text = String.valueOf(arguments.get(1));
                yield text.startsWith(prefix) ? text.substring(prefix.length()) : text;
            }
            // Go's regexp.MatchString: a match anywhere unless anchored
            case "regexMatch" -> java.util.regex.Pattern.compile(String.valueOf(arguments.get(0)))
                    .matcher(String.valueOf(arguments.get(1))).find();
            case "sha256sum" -> {
                try {
                    yield java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                            .digest(String.valueOf(arguments.get(0)).getBytes(StandardCharsets.UTF_8)));
                } catch (java.security.NoSuchAlgorithmException e) {
                    throw new IllegalStateException(e);
                }
            }
            case "include" -> {
                List<Node> body = defines.get((String) arguments.get(0));
                if (body == null) {
                    throw new IllegalArgumentException("no template named " + arguments.get(0));
                }
                StringBuilder out = new StringBuilder();
                render(body, arguments.get(1), new Scope(scope.root(), new HashMap<>()), out);
                yield out.toString();
            }
            case "quote" -> "\"" + String.valueOf(arguments.get(0)).replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
            case "b64enc" -> Base64.getEncoder().encodeToString(
                    String.valueOf(arguments.get(0)).getBytes(StandardCharsets.UTF_8));
            case "base" -> {
                String path = String.valueOf(arguments.get(0));
                yield path.substring(path.lastIndexOf('/') + 1);
            }
            case "dir" -> {
                String path = String.valueOf(arguments.get(0));
                yield path.lastIndexOf('/') < 0 ? "." : path.substring(0, path.lastIndexOf('/'));
            }
            case "toYaml" -> {
                DumperOptions options = new DumperOptions();
                options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
                yield new Yaml(options).dump(arguments.get(0)).stripTrailing();
            }
            case "indent" -> indent((Integer) arguments.get(0), String.valueOf(arguments.get(1)));
            case "nindent" -> "\n" + indent((Integer) arguments.get(0), String.valueOf(arguments.get(1)));
            default -> throw new IllegalArgumentException(function);
        };
    }

    private static String indent(int spaces, String text) {
        String pad = " ".repeat(spaces);
        return pad + text.replace("\n", "\n" + pad);
    }

    /** Splits on a separator outside quotes and parentheses. */
    private static List<String> split(String text, char separator) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int depth = 0;
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' && (i == 0 || text.charAt(i - 1) != '\\')) {
                quoted = !quoted;
            } else if (!quoted && c == '(') {
                depth++;
            } else if (!quoted && c == ')') {
                depth--;
            }
            if (c == separator && !quoted && depth == 0) {
                if (!current.toString().isBlank()) {
                    parts.add(current.toString().strip());
                }
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        if (!current.toString().isBlank()) {
            parts.add(current.toString().strip());
        }
        return parts;
    }

    private static String unquote(String literal) {
        if (!literal.startsWith("\"") || !literal.endsWith("\"")) {
            throw new IllegalArgumentException("not a string literal: " + literal);
        }
        return literal.substring(1, literal.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
    }
}
