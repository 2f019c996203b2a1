package dev.tidemark.internal.lint;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A column type as written, reduced to a canonical base name (aliases merged: {@code int4} and {@code integer},
 * {@code character varying} and {@code varchar}, ...) and its modifiers, enough to tell which changes PostgreSQL makes
 * without a rewrite.
 */
record SqlType(String base, List<Integer> args, boolean array, String written) {

    /** Reads a type from {@code tokens[from, to)}; words, modifiers in parentheses and {@code []}. */
    static SqlType parse(List<Token> tokens, int from, int to) {
        StringBuilder words = new StringBuilder();
        List<Integer> args = new ArrayList<>();
        boolean array = false;
        StringBuilder written = new StringBuilder();
        for (int i = from; i < to; i++) {
            Token t = tokens.get(i);
            if (t.isSymbol("(")) {
                int close = LintEngine.closing(tokens, i);
                for (int j = i + 1; j < close && j < to; j++) {
                    if (tokens.get(j).kind() == Token.Kind.NUMBER) {
                        try {
                            args.add(Integer.parseInt(tokens.get(j).text()));
                        } catch (NumberFormatException e) {
                            args.add(-1);
                        }
                    }
                }
                written.append('(').append(join(args)).append(')');
                i = Math.min(close, to);
            } else if (t.isSymbol("[")) {
                array = true;
                written.append("[]");
                while (i < to && !tokens.get(i).isSymbol("]")) {
                    i++;
                }
            } else if (t.is("ARRAY")) {
                array = true;
                written.append(" array");
            } else if (t.isName()) {
                if (words.length() > 0) {
                    words.append(' ');
                }
                words.append(t.name());
                if (written.length() > 0 && written.charAt(written.length() - 1) != '.') {
                    written.append(' ');
                }
                written.append(t.kind() == Token.Kind.QUOTED ? "\"" + t.text() + "\"" : t.text());
            } else if (t.isSymbol(".")) {
                words.setLength(0); // schema-qualified: keep the type's own name
                written.append('.');
            }
        }
        return new SqlType(canonical(words.toString()), List.copyOf(args), array, written.toString().strip());
    }

    private static String join(List<Integer> args) {
        StringBuilder out = new StringBuilder();
        for (Integer a : args) {
            if (out.length() > 0) {
                out.append(',');
            }
            out.append(a);
        }
        return out.toString();
    }

    private static String canonical(String words) {
        String w = words.toLowerCase(Locale.ROOT);
        return switch (w) {
            case "int", "int4", "integer" -> "integer";
            case "int8", "bigint" -> "bigint";
            case "int2", "smallint" -> "smallint";
            case "serial", "serial4" -> "serial";
            case "bigserial", "serial8" -> "bigserial";
            case "smallserial", "serial2" -> "smallserial";
            case "character varying", "varchar" -> "varchar";
            case "character", "char", "bpchar" -> "char";
            case "timestamp", "timestamp without time zone" -> "timestamp";
            case "timestamptz", "timestamp with time zone" -> "timestamptz";
            case "time", "time without time zone" -> "time";
            case "timetz", "time with time zone" -> "timetz";
            case "decimal", "numeric" -> "numeric";
            case "bool", "boolean" -> "boolean";
            case "float8", "double precision" -> "double precision";
            case "float4", "real" -> "real";
            case "bit varying", "varbit" -> "varbit";
            default -> w;
        };
    }

    boolean isIntegerKey() {
        return !array && (base.equals("integer") || base.equals("serial") || base.equals("smallint")
                || base.equals("smallserial"));
    }

    boolean isSerial() {
        return !array && (base.equals("serial") || base.equals("bigserial") || base.equals("smallserial"));
    }

    /**
     * Whether PostgreSQL changes a column from {@code this} to {@code to} without rewriting the table: the same type,
     * a binary-coercible one, or a wider modifier (PostgreSQL 9.2+; see ALTER TABLE's notes).
     */
    boolean changesWithoutRewriteTo(SqlType to) {
        if (array != to.array) {
            return false;
        }
        if (base.equals(to.base)) {
            if (args.equals(to.args) || to.args.isEmpty()) {
                return true;
            }
            if (args.isEmpty()) {
                return false; // unconstrained to constrained: checked row by row
            }
            return switch (base) {
                case "varchar", "varbit" -> to.args.get(0) >= args.get(0);
                case "numeric" -> to.args.size() == args.size() && to.args.get(0) >= args.get(0)
                        && (args.size() < 2 || to.args.get(1).equals(args.get(1)));
                case "timestamp", "timestamptz", "time", "timetz", "interval" -> to.args.get(0) >= args.get(0);
                default -> false;
            };
        }
        boolean fromText = base.equals("varchar") || base.equals("text");
        boolean toText = to.base.equals("text") || (to.base.equals("varchar") && to.args.isEmpty());
        if (fromText && toText) {
            return true;
        }
        return base.equals("cidr") && to.base.equals("inet");
    }

    @Override
    public String toString() {
        return written;
    }
}
