package dev.tidemark.internal.schema;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable, deterministic description of one PostgreSQL schema, as {@link SchemaIntrospector} reads it from the
 * catalogs.
 *
 * <p>Every list is sorted by name (columns and enum values keep their order in the database), so two schemas built
 * the same way have equal models and the same {@link SchemaRenderer rendering}, whatever order their objects were
 * created in. Definitions (constraints, indexes, views, routines, triggers) are the server's own canonical text from
 * {@code pg_get_*def}, so they compare equal exactly when PostgreSQL considers them the same.
 *
 * @param name       the schema's name
 * @param extensions extensions installed into this schema
 * @param enums      enum types, with their values in sort order
 * @param sequences  sequences, except those backing identity columns
 * @param tables     ordinary and partitioned tables, except the migration history table
 * @param indexes    indexes on tables and materialized views, except those backing constraints
 * @param views      views and materialized views
 * @param routines   functions and procedures (not aggregates), except those belonging to extensions
 * @param triggers   triggers, except internal ones (foreign keys)
 */
public record SchemaModel(String name, List<Extension> extensions, List<EnumType> enums, List<Sequence> sequences,
        List<Table> tables, List<Index> indexes, List<View> views, List<Routine> routines, List<Trigger> triggers) {

    public SchemaModel {
        Objects.requireNonNull(name, "name");
        extensions = sorted(extensions, Comparator.comparing(Extension::name));
        enums = sorted(enums, Comparator.comparing(EnumType::name));
        sequences = sorted(sequences, Comparator.comparing(Sequence::name));
        tables = sorted(tables, Comparator.comparing(Table::name));
        indexes = sorted(indexes, Comparator.comparing(Index::name));
        views = sorted(views, Comparator.comparing(View::name));
        routines = sorted(routines, Comparator.comparing(Routine::signature));
        triggers = sorted(triggers, Comparator.comparing(Trigger::table).thenComparing(Trigger::name));
    }

    /** A model of a schema that holds nothing. */
    public static SchemaModel empty(String name) {
        return new SchemaModel(name, List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(),
                List.of());
    }

    public Optional<Table> table(String tableName) {
        return tables.stream().filter(t -> t.name().equals(tableName)).findFirst();
    }

    public Optional<EnumType> enumType(String enumName) {
        return enums.stream().filter(e -> e.name().equals(enumName)).findFirst();
    }

    public boolean isEmpty() {
        return extensions.isEmpty() && enums.isEmpty() && sequences.isEmpty() && tables.isEmpty() && indexes.isEmpty()
                && views.isEmpty() && routines.isEmpty() && triggers.isEmpty();
    }

    private static <T> List<T> sorted(List<T> items, Comparator<T> order) {
        return items.stream().sorted(order).toList();
    }

    /** An extension installed into the schema; its version is not compared. */
    public record Extension(String name) {
    }

    /** An enum type; {@code values} in the enum's sort order. */
    public record EnumType(String name, List<String> values, String comment) {
        public EnumType {
            values = List.copyOf(values);
        }
    }

    /**
     * A sequence. {@code ownedBy} is {@code table.column} for a sequence owned by a column ({@code serial}), else
     * null.
     */
    public record Sequence(String name, String type, long start, long increment, long min, long max, long cache,
            boolean cycle, String ownedByTable, String ownedByColumn, String comment) {
    }

    /**
     * A table. {@code partitionKey} is {@code pg_get_partkeydef} for a partitioned table, else null;
     * {@code partitionOf} names the parent of a partition and {@code partitionBound} its bound
     * ({@code FOR VALUES ...} or {@code DEFAULT}), else both null. A partition's columns come from its parent, and
     * constraints, indexes and triggers cloned from the parent's are left out.
     */
    public record Table(String name, List<Column> columns, List<Constraint> constraints, String partitionKey,
            String partitionOf, String partitionBound, String comment) {
        public Table {
            columns = List.copyOf(columns);
            constraints = constraints.stream().sorted(Comparator.comparing(Constraint::name)).toList();
        }

        public Optional<Column> column(String columnName) {
            return columns.stream().filter(c -> c.name().equals(columnName)).findFirst();
        }

        public Optional<Constraint> constraint(String constraintName) {
            return constraints.stream().filter(c -> c.name().equals(constraintName)).findFirst();
        }
    }

    /** How an identity column generates values. */
    public enum Identity {
        ALWAYS, BY_DEFAULT;

        String sql() {
            return this == ALWAYS ? "ALWAYS" : "BY DEFAULT";
        }
    }

    /**
     * A column, in table order.
     *
     * @param type       {@code format_type} of the column's type and modifier, for example
     *                   {@code character varying(255)} or {@code "Role"[]}
     * @param defaultExpression the default expression, or null; null for a generated column
     * @param identity   the identity kind, or null
     * @param generated  the expression of a stored generated column, or null
     * @param collation  the collation, when it differs from the type's default, else null
     */
    public record Column(String name, String type, boolean notNull, String defaultExpression, Identity identity,
            String generated, String collation, String comment) {
    }

    /** The kinds of table constraints, in {@code pg_constraint.contype}'s terms. */
    public enum ConstraintKind {
        PRIMARY_KEY, UNIQUE, FOREIGN_KEY, CHECK, EXCLUSION;

        static ConstraintKind of(String contype) {
            return switch (contype) {
                case "p" -> PRIMARY_KEY;
                case "u" -> UNIQUE;
                case "f" -> FOREIGN_KEY;
                case "c" -> CHECK;
                case "x" -> EXCLUSION;
                default -> throw new IllegalArgumentException("Unknown constraint type " + contype);
            };
        }
    }

    /**
     * A table constraint. {@code definition} is {@code pg_get_constraintdef}: it carries the columns, ON DELETE/UPDATE
     * actions, DEFERRABLE and NOT VALID. {@code referencedTable} is the referenced table of a foreign key in this
     * schema, else null.
     */
    public record Constraint(String name, ConstraintKind kind, String definition, String referencedTable,
            String comment) {
    }

    /**
     * An index. {@code definition} is {@code pg_get_indexdef}: uniqueness, method, columns or expressions,
     * INCLUDE and the partial-index predicate.
     */
    public record Index(String name, String table, boolean unique, String definition, String comment) {
    }

    /**
     * A view or materialized view. {@code definition} is {@code pg_get_viewdef}, without the final semicolon;
     * {@code dependsOn} names the tables and views of this schema it selects from, so that views are created in
     * order and rebuilt when a table they read changes.
     */
    public record View(String name, boolean materialized, String definition, List<String> dependsOn,
            String comment) {
        public View {
            dependsOn = dependsOn.stream().sorted().distinct().toList();
        }
    }

    /**
     * A function or procedure. {@code signature} is its name and argument types ({@code f(integer)}), unique in the
     * schema; {@code arguments} its identity arguments with names and modes ({@code IN a integer});
     * {@code definition} is {@code pg_get_functiondef}.
     */
    public record Routine(String signature, String name, String arguments, boolean procedure, String result,
            String definition, String comment) {
    }

    /** A trigger on a table or view; {@code definition} is {@code pg_get_triggerdef}. */
    public record Trigger(String table, String name, String definition) {
    }
}
