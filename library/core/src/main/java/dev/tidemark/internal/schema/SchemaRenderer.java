package dev.tidemark.internal.schema;

import dev.tidemark.internal.schema.SchemaModel.Column;
import dev.tidemark.internal.schema.SchemaModel.Constraint;
import dev.tidemark.internal.schema.SchemaModel.EnumType;
import dev.tidemark.internal.schema.SchemaModel.Extension;
import dev.tidemark.internal.schema.SchemaModel.Index;
import dev.tidemark.internal.schema.SchemaModel.Routine;
import dev.tidemark.internal.schema.SchemaModel.Sequence;
import dev.tidemark.internal.schema.SchemaModel.Table;
import dev.tidemark.internal.schema.SchemaModel.Trigger;
import dev.tidemark.internal.schema.SchemaModel.View;

import java.util.Locale;

/**
 * Renders a {@link SchemaModel} as stable text for people and tests: one block per object, in the model's sorted
 * order, so two equal models render identically and a line diff of two renderings shows what differs.
 *
 * <pre>
 * schema "public"
 *
 * enum "Role" ('USER', 'ADMIN')
 *
 * table "User"
 *   column "id" integer not null default nextval('"User_id_seq"'::regclass)
 *   constraint "User_pkey" PRIMARY KEY (id)
 * </pre>
 */
public final class SchemaRenderer {

    private SchemaRenderer() {
    }

    public static String render(SchemaModel model) {
        StringBuilder out = new StringBuilder();
        out.append("schema ").append(Sql.quote(model.name())).append('\n');
        for (Extension extension : model.extensions()) {
            out.append('\n').append("extension ").append(Sql.quote(extension.name())).append('\n');
        }
        for (EnumType type : model.enums()) {
            out.append('\n').append("enum ").append(Sql.quote(type.name())).append(" (")
                    .append(String.join(", ", type.values().stream().map(Sql::literal).toList())).append(")\n");
            comment(out, type.comment());
        }
        for (Sequence s : model.sequences()) {
            out.append('\n').append(sequence(s)).append('\n');
            comment(out, s.comment());
        }
        for (Table table : model.tables()) {
            out.append('\n').append("table ").append(Sql.quote(table.name()));
            if (table.partitionOf() != null) {
                out.append(" partition of ").append(Sql.quote(table.partitionOf())).append(' ')
                        .append(table.partitionBound());
            }
            if (table.partitionKey() != null) {
                out.append(" partition by ").append(table.partitionKey());
            }
            out.append('\n');
            for (Column column : table.columns()) {
                out.append("  column ").append(column(column)).append('\n');
                if (column.comment() != null) {
                    out.append("    comment ").append(Sql.literal(column.comment())).append('\n');
                }
            }
            for (Constraint constraint : table.constraints()) {
                out.append("  constraint ").append(Sql.quote(constraint.name())).append(' ')
                        .append(constraint.definition()).append('\n');
                if (constraint.comment() != null) {
                    out.append("    comment ").append(Sql.literal(constraint.comment())).append('\n');
                }
            }
            comment(out, table.comment());
        }
        for (Index index : model.indexes()) {
            out.append('\n').append("index ").append(Sql.quote(index.name())).append(" on ")
                    .append(Sql.quote(index.table())).append('\n')
                    .append("  ").append(index.definition()).append('\n');
            comment(out, index.comment());
        }
        for (View view : model.views()) {
            out.append('\n').append(view.materialized() ? "materialized view " : "view ")
                    .append(Sql.quote(view.name())).append('\n');
            indent(out, view.definition());
            comment(out, view.comment());
        }
        for (Routine routine : model.routines()) {
            out.append('\n').append(routine.procedure() ? "procedure " : "function ").append(routine.name())
                    .append('(').append(routine.arguments()).append(")\n");
            indent(out, routine.definition());
            comment(out, routine.comment());
        }
        for (Trigger trigger : model.triggers()) {
            out.append('\n').append("trigger ").append(Sql.quote(trigger.name())).append(" on ")
                    .append(Sql.quote(trigger.table())).append('\n')
                    .append("  ").append(trigger.definition()).append('\n');
        }
        return out.toString();
    }

    /** A column as one line: name, type and attributes, in the order {@code CREATE TABLE} takes them. */
    static String column(Column column) {
        StringBuilder line = new StringBuilder(Sql.quote(column.name())).append(' ').append(column.type());
        if (column.collation() != null) {
            line.append(" collate ").append(Sql.quote(column.collation()));
        }
        if (column.notNull()) {
            line.append(" not null");
        }
        if (column.defaultExpression() != null) {
            line.append(" default ").append(column.defaultExpression());
        }
        if (column.identity() != null) {
            line.append(" generated ").append(column.identity().sql().toLowerCase(Locale.ROOT)).append(" as identity");
        }
        if (column.generated() != null) {
            line.append(" generated always as (").append(column.generated()).append(") stored");
        }
        return line.toString();
    }

    static String sequence(Sequence s) {
        StringBuilder line = new StringBuilder("sequence ").append(Sql.quote(s.name())).append(" as ").append(s.type())
                .append(" start ").append(s.start()).append(" increment ").append(s.increment())
                .append(" min ").append(s.min()).append(" max ").append(s.max()).append(" cache ").append(s.cache());
        if (s.cycle()) {
            line.append(" cycle");
        }
        if (s.ownedByTable() != null) {
            line.append(" owned by ").append(Sql.quote(s.ownedByTable())).append('.')
                    .append(Sql.quote(s.ownedByColumn()));
        }
        return line.toString();
    }

    private static void comment(StringBuilder out, String comment) {
        if (comment != null) {
            out.append("  comment ").append(Sql.literal(comment)).append('\n');
        }
    }

    private static void indent(StringBuilder out, String text) {
        for (String line : text.strip().split("\n", -1)) {
            out.append("  ").append(line.stripTrailing()).append('\n');
        }
    }
}
