package dev.tidemark.internal.schema;

import dev.tidemark.internal.schema.SchemaModel.Column;
import dev.tidemark.internal.schema.SchemaModel.EnumType;
import dev.tidemark.internal.schema.SchemaModel.Table;
import dev.tidemark.internal.schema.SchemaModel.View;

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
 */
record DiffContext(Set<String> droppedTables, Set<String> enumConvertedColumns, Set<String> reshapedTables,
        Set<String> rebuiltViews) {

    DiffContext {
        droppedTables = Set.copyOf(droppedTables);
        enumConvertedColumns = Set.copyOf(enumConvertedColumns);
        reshapedTables = Set.copyOf(reshapedTables);
        rebuiltViews = Set.copyOf(rebuiltViews);
    }

    static DiffContext of(SchemaModel from, SchemaModel to) {
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
                if (after == null || regenerated(before, after) || retyped(before, after)) {
                    reshaped.add(table.name());
                }
            }
        }
        return new DiffContext(dropped, converted, reshaped, viewsToRebuild(from, to, reshaped));
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

    static boolean retyped(Column a, Column b) {
        return !a.type().equals(b.type()) || !Objects.equals(a.collation(), b.collation());
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
