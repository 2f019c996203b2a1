package dev.tidemark.internal.schema;

import dev.tidemark.internal.schema.SchemaModel.Column;
import dev.tidemark.internal.schema.SchemaModel.EnumType;
import dev.tidemark.internal.schema.SchemaModel.Table;
import dev.tidemark.internal.schema.SchemaModel.View;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import static dev.tidemark.internal.schema.SchemaDiffer.byName;

/**
 * The facts about a diff that more than one section of {@link SchemaDiffer} needs, computed in one pass before any
 * section runs: the sections read them, so none depends on another having run first. Tables and columns are named
 * as in the models (unquoted); a column as {@code table.column}.
 *
 * @param droppedTables        tables of {@code from} that {@code to} does not have
 * @param enumConvertedColumns columns of {@code from} whose enum type is created again, and converted with it
 * @param reshapedTables       tables of {@code from} whose columns change in a way that breaks views reading them:
 *                             the table or a column dropped, a column's type, collation or generation expression
 *                             changed, or its enum type rebuilt
 * @param rebuiltViews         views of both models that are dropped and created again: changed ones, those reading
 *                             a reshaped table or a dropped view, and, transitively, those reading a rebuilt view
 * @param enumRenames          enum types of {@code from} renamed in {@code to} (old name to new name): a type only
 *                             {@code from} has and one only {@code to} has with the same values, each the only such
 *                             match of the other; renamed in place, so the columns using it keep their values
 */
record DiffContext(Set<String> droppedTables, Set<String> enumConvertedColumns, Set<String> reshapedTables,
        Set<String> rebuiltViews, Map<String, String> enumRenames) {

    DiffContext {
        droppedTables = Set.copyOf(droppedTables);
        enumConvertedColumns = Set.copyOf(enumConvertedColumns);
        reshapedTables = Set.copyOf(reshapedTables);
        rebuiltViews = Set.copyOf(rebuiltViews);
        enumRenames = Map.copyOf(enumRenames);
    }

    static DiffContext of(SchemaModel from, SchemaModel to) {
        Map<String, String> renames = enumRenames(from, to);
        Map<String, Table> a = byName(from.tables(), Table::name);
        Map<String, Table> b = byName(to.tables(), Table::name);
        Set<String> dropped = new HashSet<>();
        for (Table table : a.values()) {
            if (!b.containsKey(table.name())) {
                dropped.add(table.name());
            }
        }
        Set<String> converted = new HashSet<>();
        Set<String> reshaped = new HashSet<>(dropped);
        Map<String, EnumType> enums = byName(from.enums(), EnumType::name);
        for (EnumType type : to.enums()) {
            EnumType old = enums.get(type.name());
            if (old == null || !rebuilds(old, type)) {
                continue;
            }
            for (Table table : from.tables()) {
                for (Column column : table.columns()) {
                    if (usesEnum(column, type)) {
                        converted.add(table.name() + "." + column.name());
                        reshaped.add(table.name());
                    }
                }
            }
        }
        for (Table old : a.values()) {
            Table table = b.get(old.name());
            // a partition's columns follow its parent's and are not compared
            if (table == null || old.partitionOf() != null || table.partitionOf() != null) {
                continue;
            }
            for (Column before : old.columns()) {
                Column after = table.column(before.name()).orElse(null);
                if (after == null || regenerated(before, after) || retyped(before, after, renames)) {
                    reshaped.add(table.name());
                }
            }
        }
        return new DiffContext(dropped, converted, reshaped, viewsToRebuild(from, to, reshaped), renames);
    }

    /**
     * Enum renames: an enum only {@code from} has and one only {@code to} has, with the same values in the same
     * order, when neither has another such match (two candidates with one set of values stay a drop and a create).
     */
    private static Map<String, String> enumRenames(SchemaModel from, SchemaModel to) {
        Set<String> kept = new HashSet<>();
        to.enums().forEach(e -> kept.add(e.name()));
        Set<String> old = new HashSet<>();
        from.enums().forEach(e -> old.add(e.name()));
        List<EnumType> gone = from.enums().stream().filter(e -> !kept.contains(e.name())).toList();
        List<EnumType> fresh = to.enums().stream().filter(e -> !old.contains(e.name())).toList();
        Map<String, String> renames = new HashMap<>();
        for (EnumType type : gone) {
            List<EnumType> matches = fresh.stream().filter(e -> e.values().equals(type.values())).toList();
            if (matches.size() == 1 && gone.stream().filter(e -> e.values().equals(type.values())).count() == 1) {
                renames.put(type.name(), matches.get(0).name());
            }
        }
        return renames;
    }

    /** The enum {@code from}'s type {@code name} is renamed to, or null. */
    String renamedTo(String name) {
        return enumRenames.get(name);
    }

    /** The enum {@code to}'s type {@code name} was renamed from, or null. */
    String renamedFrom(String name) {
        return enumRenames.entrySet().stream().filter(e -> e.getValue().equals(name)).map(Map.Entry::getKey)
                .findFirst().orElse(null);
    }

    /** A column type change, where a renamed enum (or an array of it) counts as the same type. */
    boolean retypes(Column a, Column b) {
        return retyped(a, b, enumRenames);
    }

    /** Whether two default expressions are the same once a renamed enum's casts are renamed too. */
    boolean sameDefault(String a, String b) {
        if (Objects.equals(a, b)) {
            return true;
        }
        if (a == null || b == null) {
            return false;
        }
        for (Map.Entry<String, String> rename : enumRenames.entrySet()) {
            for (String oldForm : List.of(Sql.quote(rename.getKey()), rename.getKey())) {
                for (String newForm : List.of(Sql.quote(rename.getValue()), rename.getValue())) {
                    if (a.replace("::" + oldForm, "::" + newForm).equals(b)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static boolean retyped(Column a, Column b, Map<String, String> renames) {
        return !sameType(a.type(), b.type(), renames) || !Objects.equals(a.collation(), b.collation());
    }

    private static boolean sameType(String a, String b, Map<String, String> renames) {
        if (a.equals(b)) {
            return true;
        }
        for (Map.Entry<String, String> rename : renames.entrySet()) {
            for (String suffix : List.of("", "[]")) {
                boolean wasOld = a.equals(Sql.quote(rename.getKey()) + suffix) || a.equals(rename.getKey() + suffix);
                boolean isNew = b.equals(Sql.quote(rename.getValue()) + suffix)
                        || b.equals(rename.getValue() + suffix);
                if (wasOld && isNew) {
                    return true;
                }
            }
        }
        return false;
    }

    /** PostgreSQL can add enum values in place, but not remove or reorder them: then the type is created again. */
    static boolean rebuilds(EnumType old, EnumType type) {
        return !old.values().equals(type.values()) && !isSubsequence(old.values(), type.values());
    }

    private static boolean isSubsequence(List<String> part, List<String> whole) {
        int i = 0;
        for (String value : whole) {
            if (i < part.size() && part.get(i).equals(value)) {
                i++;
            }
        }
        return i == part.size();
    }

    /** Whether the column's type is the enum, or an array of it (the catalog gives the name quoted or plain). */
    static boolean usesEnum(Column column, EnumType type) {
        return isEnumArray(column, type) || column.type().equals(Sql.quote(type.name()))
                || column.type().equals(type.name());
    }

    static boolean isEnumArray(Column column, EnumType type) {
        return column.type().equals(Sql.quote(type.name()) + "[]") || column.type().equals(type.name() + "[]");
    }

    /** A new generation expression: PostgreSQL 15 cannot change one in place, the column is added again. */
    static boolean regenerated(Column a, Column b) {
        return !Objects.equals(a.generated(), b.generated()) && b.generated() != null;
    }

    static boolean sameView(View a, View b) {
        return a.materialized() == b.materialized() && a.definition().equals(b.definition());
    }

    private static Set<String> viewsToRebuild(SchemaModel from, SchemaModel to, Set<String> reshapedTables) {
        Map<String, View> a = byName(from.views(), View::name);
        Map<String, View> b = byName(to.views(), View::name);
        Set<String> rebuilt = new LinkedHashSet<>();
        for (View view : b.values()) {
            View old = a.get(view.name());
            if (old != null && (!sameView(old, view) || old.dependsOn().stream().anyMatch(reshapedTables::contains))) {
                rebuilt.add(view.name());
            }
        }
        boolean grew = true;
        while (grew) {
            grew = false;
            for (View view : b.values()) {
                View old = a.get(view.name());
                if (old != null && !rebuilt.contains(view.name())
                        && old.dependsOn().stream().anyMatch(d -> rebuilt.contains(d) || !b.containsKey(d)
                                && a.containsKey(d))) {
                    rebuilt.add(view.name());
                    grew = true;
                }
            }
        }
        return rebuilt;
    }
}
