package dev.tidemark.internal.schema;

import dev.tidemark.internal.schema.Change.Phase;
import dev.tidemark.internal.schema.SchemaModel.Column;
import dev.tidemark.internal.schema.SchemaModel.Constraint;
import dev.tidemark.internal.schema.SchemaModel.ConstraintKind;
import dev.tidemark.internal.schema.SchemaModel.EnumType;
import dev.tidemark.internal.schema.SchemaModel.Extension;
import dev.tidemark.internal.schema.SchemaModel.Index;
import dev.tidemark.internal.schema.SchemaModel.Routine;
import dev.tidemark.internal.schema.SchemaModel.Sequence;
import dev.tidemark.internal.schema.SchemaModel.Table;
import dev.tidemark.internal.schema.SchemaModel.Trigger;
import dev.tidemark.internal.schema.SchemaModel.View;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Compares two {@link SchemaModel}s and lists the {@link Change}s, with SQL, that turn the first into the second.
 *
 * <p>Objects are matched by name (columns within their table, routines by name and argument types); an object
 * whose definition differs is altered where PostgreSQL can alter it in place (column type, default, nullability,
 * identity; enum values added; sequence options; routines whose result type is unchanged) and dropped and created
 * again otherwise (constraints, indexes, views, triggers). Column order is not compared: PostgreSQL can only append
 * columns.
 */
public final class SchemaDiffer {

    private final SchemaModel from;
    private final SchemaModel to;
    private final DiffContext context;
    /** The only state the sections write: each adds its changes, none reads another's. */
    private final List<Change> changes = new ArrayList<>();

    private SchemaDiffer(SchemaModel from, SchemaModel to) {
        this.from = from;
        this.to = to;
        this.context = DiffContext.of(from, to);
    }

    /** The changes that take {@code from} to {@code to}, in script order. Empty when the models are equivalent. */
    public static List<Change> diff(SchemaModel from, SchemaModel to) {
        SchemaDiffer differ = new SchemaDiffer(from, to);
        differ.run();
        List<Change> ordered = new ArrayList<>(differ.changes);
        ordered.sort(Comparator.comparing(Change::phase)); // stable: keeps name order within a phase
        return List.copyOf(ordered);
    }

    /**
     * The sections, each a function of {@code from}, {@code to} and the {@link DiffContext} computed first, so their
     * order does not matter to what they find; it only orders changes of one phase (comments) in the script.
     */
    private void run() {
        extensions();
        enums();
        sequences();
        tables();
        indexes();
        views();
        routines();
        triggers();
    }

    // ---------------------------------------------------------------------------------------------- extensions

    private void extensions() {
        Map<String, Extension> a = byName(from.extensions(), Extension::name);
        Map<String, Extension> b = byName(to.extensions(), Extension::name);
        for (String name : b.keySet()) {
            if (!a.containsKey(name)) {
                changes.add(Change.added(Phase.CREATE_EXTENSION, "extension", Sql.quote(name),
                        "CREATE EXTENSION IF NOT EXISTS " + Sql.quote(name) + " WITH SCHEMA " + Sql.quote(to.name())));
            }
        }
        for (String name : a.keySet()) {
            if (!b.containsKey(name)) {
                changes.add(Change.removed(Phase.DROP_EXTENSION, "extension", Sql.quote(name),
                        "DROP EXTENSION " + Sql.quote(name)));
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- enums

    private void enums() {
        Map<String, EnumType> a = byName(from.enums(), EnumType::name);
        Map<String, EnumType> b = byName(to.enums(), EnumType::name);
        for (EnumType type : b.values()) {
            EnumType old = a.get(type.name());
            String name = Sql.quote(type.name());
            String renamedFrom = context.renamedFrom(type.name());
            if (old == null && renamedFrom != null) {
                // same values, and the old type is gone: renamed in place, the columns using it keep their values
                old = a.get(renamedFrom);
                changes.add(Change.changed(Phase.CREATE_ENUM, "enum", Sql.quote(renamedFrom), "ALTER TYPE "
                        + Sql.quote(renamedFrom) + " RENAME TO " + name)
                        .describedAs("renamed enum " + Sql.quote(renamedFrom) + " to " + name));
                comment(old.comment(), type.comment(), false, "TYPE " + name, "enum", name);
                continue;
            }
            if (old == null) {
                changes.add(Change.added(Phase.CREATE_ENUM, "enum", name, createEnum(type.name(), type)));
            } else if (DiffContext.rebuilds(old, type)) {
                rebuildEnum(old, type);
            } else if (!old.values().equals(type.values())) {
                addEnumValues(old, type);
            }
            comment(old == null ? null : old.comment(), type.comment(), old == null, "TYPE " + name, "enum", name);
        }
        for (EnumType type : a.values()) {
            if (!b.containsKey(type.name()) && context.renamedTo(type.name()) == null) {
                changes.add(Change.removed(Phase.DROP_ENUM, "enum", Sql.quote(type.name()),
                        "DROP TYPE " + Sql.quote(type.name())));
            }
        }
    }

    private static String createEnum(String name, EnumType type) {
        return "CREATE TYPE " + Sql.quote(name) + " AS ENUM ("
                + type.values().stream().map(Sql::literal).collect(Collectors.joining(", ")) + ")";
    }

    private void addEnumValues(EnumType old, EnumType type) {
        List<String> values = type.values();
        List<String> statements = new ArrayList<>();
        List<String> added = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            String value = values.get(i);
            if (old.values().contains(value)) {
                continue;
            }
            added.add(value);
            statements.add("ALTER TYPE " + Sql.quote(type.name()) + " ADD VALUE " + Sql.literal(value)
                    + (i > 0 ? " AFTER " + Sql.literal(values.get(i - 1)) : " BEFORE " + Sql.literal(values.get(1))));
        }
        changes.add(Change.changed(Phase.ALTER_ENUM, "enum", Sql.quote(type.name()), statements)
                .describedAs("changed enum " + Sql.quote(type.name()) + ": added value(s) "
                        + added.stream().map(Sql::literal).collect(Collectors.joining(", "))));
    }

    /**
     * PostgreSQL cannot remove or reorder enum values, so the type is created again under its name and every column
     * using it converted through text, as Prisma does. Rows holding a removed value make the conversion fail.
     */
    private void rebuildEnum(EnumType old, EnumType type) {
        String name = Sql.quote(type.name());
        String oldName = Sql.quote(type.name() + "_old");
        List<String> statements = new ArrayList<>();
        statements.add("ALTER TYPE " + name + " RENAME TO " + oldName);
        statements.add(createEnum(type.name(), type));
        for (Table table : from.tables()) {
            for (Column column : table.columns()) {
                if (!DiffContext.usesEnum(column, type)) {
                    continue;
                }
                boolean array = DiffContext.isEnumArray(column, type);
                String alter = "ALTER TABLE " + Sql.quote(table.name()) + " ALTER COLUMN " + Sql.quote(column.name());
                if (column.defaultExpression() != null) {
                    statements.add(alter + " DROP DEFAULT");
                }
                statements.add(alter + " TYPE " + name + (array ? "[]" : "") + " USING (" + Sql.quote(column.name())
                        + "::text" + (array ? "[]" : "") + "::" + name + (array ? "[]" : "") + ")");
                Column target = to.table(table.name()).flatMap(t -> t.column(column.name())).orElse(null);
                if (target != null && target.defaultExpression() != null && target.type().equals(column.type())) {
                    statements.add(alter + " SET DEFAULT " + target.defaultExpression());
                }
            }
        }
        statements.add("DROP TYPE " + oldName);
        List<String> removed = old.values().stream().filter(v -> !type.values().contains(v)).toList();
        String description = "changed enum " + name + ": " + (removed.isEmpty()
                ? "reordered values to " + String.join(", ", type.values())
                : "removed value(s) " + removed.stream().map(Sql::literal).collect(Collectors.joining(", ")));
        List<String> added = type.values().stream().filter(v -> !old.values().contains(v)).toList();
        if (!added.isEmpty()) {
            description += ", added value(s) " + added.stream().map(Sql::literal).collect(Collectors.joining(", "));
        }
        Change change = Change.changed(Phase.ALTER_ENUM, "enum", name, statements).describedAs(description);
        changes.add(removed.isEmpty() ? change : change.withDataLoss("removes value(s) " + String.join(", ", removed)
                + " of enum " + name + ": fails if rows still hold them"));
    }

    // ---------------------------------------------------------------------------------------------- sequences

    private void sequences() {
        Map<String, Sequence> a = byName(from.sequences(), Sequence::name);
        Map<String, Sequence> b = byName(to.sequences(), Sequence::name);
        for (Sequence s : b.values()) {
            Sequence old = a.get(s.name());
            String name = Sql.quote(s.name());
            if (old == null) {
                changes.add(Change.added(Phase.CREATE_SEQUENCE, "sequence", name,
                        "CREATE SEQUENCE " + name + options(s)));
                if (s.ownedByTable() != null) {
                    changes.add(Change.added(Phase.ALTER_SEQUENCE, "sequence", name, ownedBy(s)).describedAs("owned by")
                            .asImplied());
                }
            } else {
                if (!sameOptions(old, s)) {
                    changes.add(Change.changed(Phase.ALTER_SEQUENCE, "sequence", name, "ALTER SEQUENCE " + name
                            + options(s)).describedAs("options " + SchemaRenderer.sequence(old) + " -> "
                                    + SchemaRenderer.sequence(s)));
                }
                if (!Objects.equals(old.ownedByTable(), s.ownedByTable())
                        || !Objects.equals(old.ownedByColumn(), s.ownedByColumn())) {
                    changes.add(Change.changed(Phase.ALTER_SEQUENCE, "sequence", name, ownedBy(s))
                            .describedAs("owner changed"));
                }
            }
            comment(old == null ? null : old.comment(), s.comment(), old == null, "SEQUENCE " + name, "sequence",
                    name);
        }
        for (Sequence s : a.values()) {
            if (!b.containsKey(s.name())) {
                // a sequence owned by a dropped table or column is dropped with it
                boolean dropsWithOwner = s.ownedByTable() != null && (to.table(s.ownedByTable()).isEmpty()
                        || to.table(s.ownedByTable()).get().column(s.ownedByColumn()).isEmpty());
                changes.add(Change.removed(Phase.DROP_SEQUENCE, "sequence", Sql.quote(s.name()),
                        "DROP SEQUENCE " + (dropsWithOwner ? "IF EXISTS " : "") + Sql.quote(s.name())));
            }
        }
    }

    private static boolean sameOptions(Sequence a, Sequence b) {
        return a.type().equals(b.type()) && a.start() == b.start() && a.increment() == b.increment()
                && a.min() == b.min() && a.max() == b.max() && a.cache() == b.cache() && a.cycle() == b.cycle();
    }

    private static String options(Sequence s) {
        return " AS " + s.type() + " INCREMENT BY " + s.increment() + " MINVALUE " + s.min() + " MAXVALUE "
                + s.max() + " START WITH " + s.start() + " CACHE " + s.cache() + (s.cycle() ? " CYCLE" : " NO CYCLE");
    }

    private static String ownedBy(Sequence s) {
        return "ALTER SEQUENCE " + Sql.quote(s.name()) + " OWNED BY " + (s.ownedByTable() == null ? "NONE"
                : Sql.quote(s.ownedByTable()) + "." + Sql.quote(s.ownedByColumn()));
    }

    // ---------------------------------------------------------------------------------------------- tables

    private void tables() {
        Map<String, Table> a = byName(from.tables(), Table::name);
        Map<String, Table> b = byName(to.tables(), Table::name);
        List<Table> targets = new ArrayList<>(b.values());
        targets.sort(Comparator.comparingInt(t -> partitionDepth(t, b))); // stable: parents before partitions
        for (Table table : targets) {
            Table old = a.get(table.name());
            if (old == null) {
                createTable(table);
            } else if (old.partitionOf() != null || table.partitionOf() != null) {
                // a partition's columns follow its parent's: only its membership and bound are compared
                if (!samePartition(old, table)) {
                    repartition(old, table);
                }
                comment(old.comment(), table.comment(), false, "TABLE " + Sql.quote(table.name()), "table",
                        Sql.quote(table.name()));
            } else {
                alterColumns(old, table);
                comment(old.comment(), table.comment(), false, "TABLE " + Sql.quote(table.name()), "table",
                        Sql.quote(table.name()));
            }
        }
        for (Table table : a.values()) {
            if (b.containsKey(table.name())) {
                continue;
            }
            String name = Sql.quote(table.name());
            // its foreign keys go first, so that tables referencing each other can be dropped in any order
            for (Constraint fk : table.constraints()) {
                if (fk.kind() == ConstraintKind.FOREIGN_KEY) {
                    changes.add(Change.removed(Phase.DROP_FOREIGN_KEY, "foreign key", name + "." + Sql.quote(fk.name()),
                            dropConstraint(table.name(), fk.name())).describedAs("removed with its table").asImplied());
                }
            }
            // a partition goes with its dropped parent
            boolean withParent = table.partitionOf() != null && !b.containsKey(table.partitionOf());
            changes.add(Change.removed(Phase.DROP_TABLE, "table", name, "DROP TABLE " + (withParent ? "IF EXISTS " : "")
                    + name).withDataLoss("drops table " + name + " and all its rows"));
        }
        constraints(a, b);
    }

    private void createTable(Table table) {
        String name = Sql.quote(table.name());
        StringBuilder sql = new StringBuilder("CREATE TABLE ").append(name);
        if (table.partitionOf() != null) {
            // columns come from the parent; local defaults and NOT NULLs are set after
            sql.append(" PARTITION OF ").append(Sql.quote(table.partitionOf())).append(' ')
                    .append(table.partitionBound());
        } else {
            sql.append(" (");
            for (int i = 0; i < table.columns().size(); i++) {
                sql.append(i == 0 ? "\n    " : ",\n    ").append(columnDefinition(table.columns().get(i)));
            }
            sql.append(table.columns().isEmpty() ? ")" : "\n)");
        }
        if (table.partitionKey() != null) {
            sql.append(" PARTITION BY ").append(table.partitionKey());
        }
        boolean partition = table.partitionOf() != null;
        changes.add(Change.added(partition ? Phase.CREATE_PARTITION : Phase.CREATE_TABLE, partition ? "partition"
                : "table", name, sql.toString()));
        comment(null, table.comment(), true, "TABLE " + name, "table", name);
        for (Column column : table.columns()) {
            comment(null, column.comment(), true, "COLUMN " + name + "." + Sql.quote(column.name()), "column",
                    name + "." + Sql.quote(column.name()));
        }
    }

    private static int partitionDepth(Table table, Map<String, Table> tables) {
        int depth = 0;
        Table current = table;
        while (current.partitionOf() != null && tables.containsKey(current.partitionOf()) && depth < 100) {
            current = tables.get(current.partitionOf());
            depth++;
        }
        return depth;
    }

    private static boolean samePartition(Table a, Table b) {
        return Objects.equals(a.partitionOf(), b.partitionOf())
                && Objects.equals(a.partitionBound(), b.partitionBound());
    }

    /** Detaches a table from its old parent and attaches it to its new one (or with its new bound). */
    private void repartition(Table old, Table table) {
        String name = Sql.quote(table.name());
        List<String> statements = new ArrayList<>();
        if (old.partitionOf() != null && !context.droppedTables().contains(old.partitionOf())) {
            statements.add("ALTER TABLE " + Sql.quote(old.partitionOf()) + " DETACH PARTITION " + name);
        }
        if (table.partitionOf() != null) {
            statements.add("ALTER TABLE " + Sql.quote(table.partitionOf()) + " ATTACH PARTITION " + name + " "
                    + table.partitionBound());
        }
        changes.add(Change.changed(Phase.CREATE_PARTITION, "partition", name, statements)
                .describedAs("changed partition " + name + ": " + (old.partitionOf() == null ? "not a partition"
                        : "of " + Sql.quote(old.partitionOf()) + " " + old.partitionBound()) + " -> "
                        + (table.partitionOf() == null ? "not a partition"
                                : "of " + Sql.quote(table.partitionOf()) + " " + table.partitionBound()))
                .withWarning("rows outside the new bound make ATTACH PARTITION fail"));
    }

    static String columnDefinition(Column column) {
        StringBuilder sql = new StringBuilder(Sql.quote(column.name())).append(' ').append(column.type());
        if (column.collation() != null) {
            sql.append(" COLLATE ").append(Sql.quote(column.collation()));
        }
        if (column.generated() != null) {
            sql.append(" GENERATED ALWAYS AS (").append(column.generated()).append(") STORED");
        }
        if (column.identity() != null) {
            sql.append(" GENERATED ").append(column.identity().sql()).append(" AS IDENTITY");
        }
        if (column.notNull()) {
            sql.append(" NOT NULL");
        }
        if (column.defaultExpression() != null) {
            sql.append(" DEFAULT ").append(column.defaultExpression());
        }
        return sql.toString();
    }

    private void alterColumns(Table old, Table table) {
        String tableName = Sql.quote(table.name());
        Map<String, String> renames = likelyRenames(old, table);
        for (Column column : table.columns()) {
            String name = tableName + "." + Sql.quote(column.name());
            Column before = old.column(column.name()).orElse(null);
            if (before == null) {
                String renamedFrom = renames.entrySet().stream().filter(e -> e.getValue().equals(column.name()))
                        .map(Map.Entry::getKey).findFirst().orElse(null);
                changes.add(addColumn(table, column).describedAs("added column " + name + " " + column.type()
                        + (renamedFrom == null ? "" : " (renamed from " + Sql.quote(renamedFrom) + "? review)")));
            } else {
                alterColumn(table.name(), before, column);
            }
            comment(before == null ? null : before.comment(), column.comment(), before == null,
                    "COLUMN " + name, "column", name);
        }
        for (Column column : old.columns()) {
            if (table.column(column.name()).isEmpty()) {
                String name = tableName + "." + Sql.quote(column.name());
                String renamedTo = renames.get(column.name());
                String loss = "drops column " + name + " and its data";
                Change drop = Change.removed(Phase.DROP_COLUMN, "column", name, "ALTER TABLE " + tableName
                        + " DROP COLUMN " + Sql.quote(column.name()));
                if (renamedTo != null) {
                    String to = tableName + "." + Sql.quote(renamedTo);
                    drop = drop.describedAs("removed column " + name + " (renamed to " + Sql.quote(renamedTo)
                            + "? review)");
                    loss += "\nrenamed? review: " + to + ", added above, has the same type, constraints and position;"
                            + " if it is this column renamed, replace its ADD COLUMN and this DROP COLUMN with\n  ALTER"
                            + " TABLE " + tableName + " RENAME COLUMN " + Sql.quote(column.name()) + " TO "
                            + Sql.quote(renamedTo) + ";\nwhich keeps the data";
                }
                changes.add(drop.withDataLoss(loss));
            }
        }
    }

    /**
     * Adds a column. A required column without a default cannot be added to a table that holds rows, so it is added
     * with a temporary default (a neutral value of its type) that is dropped at once, the form Prisma's own histories
     * use; for a type without an obvious neutral value it is added nullable and made required after a backfill the
     * author writes.
     */
    private Change addColumn(Table table, Column column) {
        String tableName = Sql.quote(table.name());
        String name = tableName + "." + Sql.quote(column.name());
        String add = "ALTER TABLE " + tableName + " ADD COLUMN ";
        boolean required = column.notNull() && column.defaultExpression() == null && column.identity() == null
                && column.generated() == null;
        if (!required) {
            return Change.added(Phase.ALTER_TABLE, "column", name, add + columnDefinition(column));
        }
        String alter = "ALTER TABLE " + tableName + " ALTER COLUMN " + Sql.quote(column.name());
        String neutral = neutralValue(column.type());
        if (neutral != null) {
            return Change.added(Phase.ALTER_TABLE, "column", name, List.of(add + columnDefinition(column)
                    + " DEFAULT " + neutral, alter + " DROP DEFAULT"))
                    .withWarning("adds the required column " + name + " without a default: existing rows get "
                            + neutral + " from a temporary default, dropped again at once; to give them other values,"
                            + " put an UPDATE " + tableName + " SET " + Sql.quote(column.name()) + " = ... between"
                            + " the two statements");
        }
        Column nullable = new Column(column.name(), column.type(), false, null, null, null, column.collation(),
                column.comment());
        return Change.added(Phase.ALTER_TABLE, "column", name, List.of(add + columnDefinition(nullable),
                alter + " SET NOT NULL")).withWarning("adds the required column " + name + " without a default,"
                        + " and Tidemark knows no neutral value of type " + column.type() + ": it is added nullable"
                        + " and SET NOT NULL fails if the table has rows; fill them first with an UPDATE "
                        + tableName + " SET " + Sql.quote(column.name()) + " = ... between the two statements");
    }

    /** A value of the type that every column of it accepts, for a temporary default; null when there is none. */
    private String neutralValue(String type) {
        if (type.endsWith("[]")) {
            return "'{}'";
        }
        for (EnumType e : to.enums()) {
            if (type.equals(e.name()) || type.equals(Sql.quote(e.name()))) {
                return e.values().isEmpty() ? null : Sql.literal(e.values().get(0));
            }
        }
        String base = type.replaceAll("\\(.*\\)", "");
        return switch (base) {
            case "text", "character varying", "character", "citext", "bytea" -> "''";
            case "smallint", "integer", "bigint", "numeric", "real", "double precision", "money" -> "0";
            case "boolean" -> "false";
            case "json", "jsonb" -> "'{}'";
            case "uuid" -> "gen_random_uuid()";
            case "date" -> "CURRENT_DATE";
            case "timestamp without time zone", "timestamp with time zone", "timestamp", "timestamptz" ->
                    "CURRENT_TIMESTAMP";
            case "time without time zone", "time with time zone" -> "LOCALTIME";
            case "interval" -> "'0'";
            default -> null;
        };
    }

    /**
     * Columns of a table that look renamed: a dropped and an added column at the same position, with the same type,
     * nullability, default, identity, generation, collation, and the same constraints and indexes once the two names
     * are taken as one. Only pairs where neither column has another candidate. Old name to new name.
     */
    private Map<String, String> likelyRenames(Table old, Table table) {
        Map<String, String> renames = new LinkedHashMap<>();
        for (int i = 0; i < old.columns().size() && i < table.columns().size(); i++) {
            Column dropped = old.columns().get(i);
            Column added = table.columns().get(i);
            if (table.column(dropped.name()).isPresent() || old.column(added.name()).isPresent()) {
                continue;
            }
            boolean alike = dropped.type().equals(added.type()) && dropped.notNull() == added.notNull()
                    && Objects.equals(dropped.defaultExpression(), added.defaultExpression())
                    && dropped.identity() == added.identity() && Objects.equals(dropped.generated(), added.generated())
                    && Objects.equals(dropped.collation(), added.collation())
                    && usesOf(from, old, dropped.name()).equals(usesOf(to, table, added.name()));
            if (alike) {
                renames.put(dropped.name(), added.name());
            }
        }
        return renames;
    }

    /** The definitions of a table's constraints and indexes that name the column, with its name blanked out. */
    private static List<String> usesOf(SchemaModel model, Table table, String column) {
        java.util.regex.Pattern mention = java.util.regex.Pattern.compile("(?<![A-Za-z0-9_$\"])(?:"
                + java.util.regex.Pattern.quote(Sql.quote(column)) + "|" + java.util.regex.Pattern.quote(column)
                + ")(?![A-Za-z0-9_$\"])");
        List<String> uses = new ArrayList<>();
        for (Constraint c : table.constraints()) {
            if (mention.matcher(c.definition()).find()) {
                uses.add(c.kind() + " " + mention.matcher(c.definition()).replaceAll("\u0000"));
            }
        }
        for (Index index : model.indexes()) {
            int on = index.definition().indexOf(" ON ");
            String body = on < 0 ? index.definition() : index.definition().substring(on);
            if (index.table().equals(table.name()) && mention.matcher(body).find()) {
                uses.add("index " + mention.matcher(body).replaceAll("\u0000"));
            }
        }
        uses.sort(null);
        return uses;
    }

    private void alterColumn(String tableName, Column a, Column b) {
        String table = Sql.quote(tableName);
        String column = Sql.quote(b.name());
        String alter = "ALTER TABLE " + table + " ALTER COLUMN " + column;
        String name = table + "." + column;
        List<String> statements = new ArrayList<>();
        List<String> what = new ArrayList<>();
        String warning = null;
        boolean destructive = false;

        if (DiffContext.regenerated(a, b)) {
            // PostgreSQL 15 cannot change a generation expression: the column is added again, values recomputed
            boolean wasStored = a.generated() == null; // a plain column's values are lost, a generated one's recomputed
            Change regenerate = Change.changed(Phase.ALTER_TABLE, "column", name, List.of("ALTER TABLE " + table
                    + " DROP COLUMN " + column, "ALTER TABLE " + table + " ADD COLUMN " + columnDefinition(b)))
                    .describedAs("changed column " + name + ": generated as (" + b.generated() + ")");
            String readded = (wasStored ? "drops the values of " + name + " and" : "recomputes " + name + ", and")
                    + " adds it again at the end of the table; indexes on it must be created again";
            changes.add(wasStored ? regenerate.withDataLoss(readded) : regenerate.withWarning(readded));
            return;
        }
        if (a.generated() != null && b.generated() == null) {
            statements.add(alter + " DROP EXPRESSION");
            what.add("no longer generated");
        }
        if (a.identity() != null && b.identity() == null) {
            statements.add(alter + " DROP IDENTITY");
            what.add("no longer an identity");
        }
        boolean converted = context.enumConvertedColumns().contains(tableName + "." + b.name());
        boolean sameDefault = context.sameDefault(a.defaultExpression(), b.defaultExpression());
        if (context.retypes(a, b)) {
            if (a.defaultExpression() != null && !converted) {
                statements.add(alter + " DROP DEFAULT");
            }
            // PostgreSQL has no cast from one enum to another, nor between an enum and most types: go through text
            boolean viaText = isEnum(a.type(), from) || isEnum(b.type(), to);
            String cast = viaText ? "::text" + (b.type().endsWith("[]") ? "[]" : "") : "";
            statements.add(alter + " TYPE " + b.type() + (b.collation() == null ? "" : " COLLATE "
                    + Sql.quote(b.collation())) + " USING " + column + cast + "::" + b.type());
            if (b.defaultExpression() != null) {
                statements.add(alter + " SET DEFAULT " + b.defaultExpression());
            }
            if (!a.type().equals(b.type())) {
                what.add("type " + a.type() + " -> " + b.type());
                if (!TypeConversions.isWidening(a.type(), b.type())) {
                    destructive = true;
                    warning = "changes the type of " + name + " from " + a.type() + " to " + b.type() + ": fails or"
                            + " loses data if existing values do not fit";
                }
            }
            if (!Objects.equals(a.collation(), b.collation())) {
                what.add("collation " + a.collation() + " -> " + b.collation());
            }
        } else if (!sameDefault) {
            statements.add(b.defaultExpression() == null ? alter + " DROP DEFAULT"
                    : alter + " SET DEFAULT " + b.defaultExpression());
        }
        if (!sameDefault) {
            what.add("default " + (a.defaultExpression() == null ? "none" : a.defaultExpression()) + " -> "
                    + (b.defaultExpression() == null ? "none" : b.defaultExpression()));
        }
        if (a.notNull() != b.notNull()) {
            statements.add(alter + (b.notNull() ? " SET NOT NULL" : " DROP NOT NULL"));
            what.add(b.notNull() ? "now not null" : "now nullable");
            if (b.notNull() && warning == null) {
                warning = "makes " + name + " required: fails if the table has rows where it is null";
            }
        }
        if (b.identity() != null && a.identity() == null) {
            statements.add(alter + " ADD GENERATED " + b.identity().sql() + " AS IDENTITY");
            what.add("now generated " + b.identity().sql().toLowerCase(Locale.ROOT) + " as identity");
        } else if (b.identity() != null && a.identity() != b.identity()) {
            statements.add(alter + " SET GENERATED " + b.identity().sql());
            what.add("now generated " + b.identity().sql().toLowerCase(Locale.ROOT) + " as identity");
        }
        if (!statements.isEmpty()) {
            Change change = Change.changed(Phase.ALTER_TABLE, "column", name, statements)
                    .describedAs("changed column " + name + ": " + String.join(", ", what));
            changes.add(destructive ? change.withDataLoss(warning) : change.withWarning(warning));
        }
    }

    /** Whether a column type is one of the model's enums, or an array of one. */
    private static boolean isEnum(String type, SchemaModel model) {
        String element = type.endsWith("[]") ? type.substring(0, type.length() - 2) : type;
        return model.enums().stream().anyMatch(e -> element.equals(e.name()) || element.equals(Sql.quote(e.name())));
    }

    // ---------------------------------------------------------------------------------------------- constraints

    private void constraints(Map<String, Table> a, Map<String, Table> b) {
        // Tables whose primary key or unique constraints/indexes are dropped: foreign keys referencing them depend
        // on those indexes, so they are dropped first and added again.
        Set<String> rekeyedTables = new HashSet<>();
        for (Table old : a.values()) {
            Table table = b.get(old.name());
            if (table == null) {
                continue;
            }
            for (Constraint c : old.constraints()) {
                Constraint now = table.constraint(c.name()).orElse(null);
                if (now == null || !now.definition().equals(c.definition()) || now.kind() != c.kind()) {
                    if (c.kind() == ConstraintKind.PRIMARY_KEY || c.kind() == ConstraintKind.UNIQUE) {
                        rekeyedTables.add(old.name());
                    }
                }
            }
        }
        for (Index index : from.indexes()) {
            Index now = to.indexes().stream().filter(i -> i.name().equals(index.name())).findFirst().orElse(null);
            if (index.unique() && (now == null || !now.definition().equals(index.definition()))) {
                rekeyedTables.add(index.table());
            }
        }
        for (Table table : b.values()) {
            Table old = a.get(table.name());
            String tableName = Sql.quote(table.name());
            for (Constraint c : table.constraints()) {
                Constraint before = old == null ? null : old.constraint(c.name()).orElse(null);
                String name = tableName + "." + Sql.quote(c.name());
                boolean fk = c.kind() == ConstraintKind.FOREIGN_KEY;
                String type = fk ? "foreign key" : "constraint";
                Phase addPhase = fk ? Phase.ADD_FOREIGN_KEY : Phase.ADD_CONSTRAINT;
                String addSql = "ALTER TABLE " + tableName + " ADD CONSTRAINT " + Sql.quote(c.name()) + " "
                        + c.definition();
                if (before == null) {
                    // a new table's constraints are part of creating it
                    Change added = Change.added(addPhase, type, name, addSql)
                            .describedAs("added " + type + " " + name + " " + c.definition());
                    changes.add(old == null ? added.asImplied() : added);
                } else if (!before.definition().equals(c.definition()) || before.kind() != c.kind()) {
                    changes.add(Change.changed(fk ? Phase.DROP_FOREIGN_KEY : Phase.DROP_CONSTRAINT, type, name,
                            dropConstraint(table.name(), c.name())).describedAs("changed " + type + " " + name + ": "
                                    + before.definition() + " -> " + c.definition()));
                    changes.add(Change.changed(addPhase, type, name, addSql).describedAs("re-added").asImplied());
                } else if (fk && rekeyedTables.contains(c.referencedTable())) {
                    changes.add(Change.changed(Phase.DROP_FOREIGN_KEY, type, name,
                            dropConstraint(table.name(), c.name())).describedAs("rebuilt").asImplied());
                    changes.add(Change.changed(addPhase, type, name, addSql).describedAs("rebuilt").asImplied());
                }
                if (before == null || before.definition().equals(c.definition())) {
                    comment(before == null ? null : before.comment(), c.comment(), before == null,
                            "CONSTRAINT " + Sql.quote(c.name()) + " ON " + tableName, type, name);
                } else {
                    comment(null, c.comment(), true, "CONSTRAINT " + Sql.quote(c.name()) + " ON " + tableName, type,
                            name);
                }
            }
            if (old == null) {
                continue;
            }
            for (Constraint c : old.constraints()) {
                if (table.constraint(c.name()).isEmpty()) {
                    boolean fk = c.kind() == ConstraintKind.FOREIGN_KEY;
                    String name = tableName + "." + Sql.quote(c.name());
                    String type = fk ? "foreign key" : "constraint";
                    changes.add(Change.removed(fk ? Phase.DROP_FOREIGN_KEY : Phase.DROP_CONSTRAINT, type, name,
                            dropConstraint(table.name(), c.name())));
                }
            }
        }
    }

    private static String dropConstraint(String table, String constraint) {
        return "ALTER TABLE " + Sql.quote(table) + " DROP CONSTRAINT " + Sql.quote(constraint);
    }

    // ---------------------------------------------------------------------------------------------- indexes

    private void indexes() {
        Set<String> rebuiltViews = context.rebuiltViews();
        Map<String, Index> a = byName(from.indexes(), Index::name);
        Map<String, Index> b = byName(to.indexes(), Index::name);
        for (Index index : b.values()) {
            Index old = a.get(index.name());
            String name = Sql.quote(index.name());
            if (old == null) {
                changes.add(Change.added(createPhase(index), "index", name, index.definition())
                        .describedAs("added index " + name + ": " + index.definition()));
            } else if (!old.definition().equals(index.definition())) {
                changes.add(Change.changed(Phase.DROP_INDEX, "index", name, "DROP INDEX " + name)
                        .describedAs("changed index " + name + ": " + old.definition() + " -> " + index.definition()));
                changes.add(Change.recreated(createPhase(index), "index", name, index.definition()));
            } else if (rebuiltViews.contains(index.table())) {
                // the materialized view is created again, and its indexes with it
                changes.add(Change.recreated(createPhase(index), "index", name, index.definition()));
            }
            boolean fresh = old == null || !old.definition().equals(index.definition())
                    || rebuiltViews.contains(index.table());
            comment(fresh ? null : old.comment(), index.comment(), fresh, "INDEX " + name, "index", name);
        }
        for (Index index : a.values()) {
            if (!b.containsKey(index.name()) && !context.droppedTables().contains(index.table())
                    && !rebuiltViews.contains(index.table())
                    && from.views().stream().noneMatch(v -> v.name().equals(index.table())
                            && to.views().stream().noneMatch(w -> w.name().equals(v.name())))) {
                changes.add(Change.removed(Phase.DROP_INDEX, "index", Sql.quote(index.name()),
                        "DROP INDEX " + Sql.quote(index.name())));
            }
        }
    }

    /** Indexes on materialized views are created after the views. */
    private Phase createPhase(Index index) {
        return to.views().stream().anyMatch(v -> v.name().equals(index.table())) ? Phase.CREATE_VIEW_INDEX
                : Phase.CREATE_INDEX;
    }

    // ---------------------------------------------------------------------------------------------- views

    private void views() {
        Map<String, View> a = byName(from.views(), View::name);
        Map<String, View> b = byName(to.views(), View::name);
        // drop dependants first: reverse of the creation order of the old model
        List<View> dropOrder = new ArrayList<>(creationOrder(a));
        java.util.Collections.reverse(dropOrder);
        for (View view : dropOrder) {
            String name = Sql.quote(view.name());
            String drop = "DROP " + viewType(view).toUpperCase(Locale.ROOT) + " " + name;
            if (!b.containsKey(view.name())) {
                changes.add(Change.removed(Phase.DROP_VIEW, viewType(view), name, drop));
            } else if (!DiffContext.sameView(view, b.get(view.name()))) {
                changes.add(Change.changed(Phase.DROP_VIEW, viewType(view), name, drop));
            } else if (context.rebuiltViews().contains(view.name())) {
                // unchanged, but it reads a table or view that changes shape
                changes.add(Change.changed(Phase.DROP_VIEW, viewType(view), name, drop).describedAs("rebuilt")
                        .asImplied());
            }
        }
        for (View view : creationOrder(b)) {
            View old = a.get(view.name());
            String name = Sql.quote(view.name());
            String create = "CREATE " + viewType(view).toUpperCase(Locale.ROOT) + " " + name + " AS\n"
                    + view.definition();
            if (old == null) {
                changes.add(Change.added(Phase.CREATE_VIEW, viewType(view), name, create));
            } else if (context.rebuiltViews().contains(view.name())) {
                changes.add(Change.recreated(Phase.CREATE_VIEW, viewType(view), name, create));
            }
            boolean fresh = old == null || context.rebuiltViews().contains(view.name());
            comment(fresh ? null : old.comment(), view.comment(), fresh,
                    viewType(view).toUpperCase(Locale.ROOT) + " " + name, viewType(view), name);
        }
    }

    private static String viewType(View view) {
        return view.materialized() ? "materialized view" : "view";
    }

    /** Views in an order where each comes after the views it reads. */
    private static List<View> creationOrder(Map<String, View> views) {
        List<View> ordered = new ArrayList<>();
        Set<String> done = new HashSet<>();
        for (View view : views.values()) {
            visit(view, views, done, new HashSet<>(), ordered);
        }
        return ordered;
    }

    private static void visit(View view, Map<String, View> views, Set<String> done, Set<String> path,
            List<View> ordered) {
        if (done.contains(view.name()) || !path.add(view.name())) {
            return;
        }
        for (String dependency : view.dependsOn()) {
            View other = views.get(dependency);
            if (other != null) {
                visit(other, views, done, path, ordered);
            }
        }
        done.add(view.name());
        ordered.add(view);
    }

    // ---------------------------------------------------------------------------------------------- routines

    private void routines() {
        Map<String, Routine> a = byName(from.routines(), Routine::signature);
        Map<String, Routine> b = byName(to.routines(), Routine::signature);
        for (Routine routine : b.values()) {
            Routine old = a.get(routine.signature());
            String name = routineName(routine);
            if (old == null) {
                changes.add(Change.added(Phase.CREATE_ROUTINE, kind(routine), name, routine.definition()));
            } else if (!old.definition().equals(routine.definition())) {
                boolean replaceable = replaceable(old, routine);
                if (!replaceable) {
                    changes.add(Change.changed(Phase.DROP_REPLACED_ROUTINE, kind(old), name, dropRoutine(old))
                            .describedAs("dropped to change its result or arguments").asImplied());
                }
                changes.add(Change.changed(Phase.CREATE_ROUTINE, kind(routine), name, routine.definition())
                        .describedAs("changed " + kind(routine) + " " + name + " definition"));
            }
            // CREATE OR REPLACE keeps a routine's comment; dropping it does not
            boolean dropped = old != null && !old.definition().equals(routine.definition())
                    && !replaceable(old, routine);
            comment(old == null || dropped ? null : old.comment(), routine.comment(), old == null || dropped,
                    kind(routine).toUpperCase(Locale.ROOT) + " " + name, kind(routine), name);
        }
        for (Routine routine : a.values()) {
            if (!b.containsKey(routine.signature())) {
                changes.add(Change.removed(Phase.DROP_ROUTINE, kind(routine), routineName(routine),
                        dropRoutine(routine)));
            }
        }
    }

    /** CREATE OR REPLACE cannot change a routine's kind, result type, or argument names and modes. */
    private static boolean replaceable(Routine old, Routine routine) {
        return old.procedure() == routine.procedure() && Objects.equals(old.result(), routine.result())
                && old.arguments().equals(routine.arguments());
    }

    private String routineName(Routine routine) {
        return Sql.quote(routine.name()) + "(" + routine.arguments() + ")";
    }

    private static String kind(Routine routine) {
        return routine.procedure() ? "procedure" : "function";
    }

    private String dropRoutine(Routine routine) {
        return "DROP " + kind(routine).toUpperCase(Locale.ROOT) + " " + routineName(routine);
    }

    // ---------------------------------------------------------------------------------------------- triggers

    private void triggers() {
        Map<String, Trigger> a = byName(from.triggers(), t -> t.table() + "\u0000" + t.name());
        Map<String, Trigger> b = byName(to.triggers(), t -> t.table() + "\u0000" + t.name());
        for (Map.Entry<String, Trigger> entry : b.entrySet()) {
            Trigger trigger = entry.getValue();
            Trigger old = a.get(entry.getKey());
            String name = Sql.quote(trigger.table()) + "." + Sql.quote(trigger.name());
            if (old == null) {
                changes.add(Change.added(Phase.CREATE_TRIGGER, "trigger", name, trigger.definition()));
            } else if (!old.definition().equals(trigger.definition())) {
                changes.add(Change.changed(Phase.DROP_TRIGGER, "trigger", name, dropTrigger(old))
                        .describedAs("changed trigger " + name + ": " + trigger.definition()));
                changes.add(Change.recreated(Phase.CREATE_TRIGGER, "trigger", name, trigger.definition()));
            } else if (context.rebuiltViews().contains(trigger.table())) {
                // the view it is on is created again, without its triggers
                changes.add(Change.recreated(Phase.CREATE_TRIGGER, "trigger", name, trigger.definition()));
            }
        }
        for (Map.Entry<String, Trigger> entry : a.entrySet()) {
            Trigger trigger = entry.getValue();
            if (!b.containsKey(entry.getKey()) && !context.droppedTables().contains(trigger.table())
                    && !context.rebuiltViews().contains(trigger.table())) {
                changes.add(Change.removed(Phase.DROP_TRIGGER, "trigger", Sql.quote(trigger.table()) + "."
                        + Sql.quote(trigger.name()), dropTrigger(trigger)));
            }
        }
    }

    private static String dropTrigger(Trigger trigger) {
        return "DROP TRIGGER " + Sql.quote(trigger.name()) + " ON " + Sql.quote(trigger.table());
    }

    // ---------------------------------------------------------------------------------------------- helpers

    /**
     * Sets a comment where it differs; for a new object (or one created again), a comment is part of creating it and
     * is not reported on its own.
     */
    private void comment(String before, String after, boolean created, String target, String objectType,
            String object) {
        if (Objects.equals(before, after)) {
            return;
        }
        Change change = Change.changed(Phase.COMMENT, objectType, object, "COMMENT ON " + target + " IS "
                + Sql.literal(after)).describedAs("changed comment on " + objectType + " " + object);
        changes.add(created ? change.asImplied() : change);
    }

    static <T> Map<String, T> byName(List<T> items, Function<T, String> name) {
        Map<String, T> map = new LinkedHashMap<>();
        for (T item : items) {
            map.put(name.apply(item), item);
        }
        return map;
    }
}
