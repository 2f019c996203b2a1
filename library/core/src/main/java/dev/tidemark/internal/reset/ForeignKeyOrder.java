package dev.tidemark.internal.reset;

import dev.tidemark.internal.reset.ResetCatalog.Table;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Orders a schema's tables by their foreign keys. Tables that reference each other, directly or through others,
 * form one group (Tarjan's strongly connected components), since no order of single tables works for them.
 */
final class ForeignKeyOrder {

    private ForeignKeyOrder() {
    }

    /** Groups of tables, children before the tables they reference: the order to delete in. */
    static List<List<Table>> childrenFirst(ResetCatalog catalog) {
        List<List<Table>> groups = parentsFirst(catalog);
        Collections.reverse(groups);
        return groups;
    }

    /** Groups of tables, referenced tables before the tables referencing them: the order to insert in. */
    static List<List<Table>> parentsFirst(ResetCatalog catalog) {
        Map<Long, List<Long>> references = new HashMap<>();
        for (long[] edge : catalog.foreignKeys()) {
            references.computeIfAbsent(edge[0], k -> new ArrayList<>()).add(edge[1]);
        }
        Tarjan tarjan = new Tarjan(references);
        for (Table table : catalog.tables().values()) {
            if (!tarjan.index.containsKey(table.oid())) {
                tarjan.visit(table.oid());
            }
        }
        // Tarjan emits a component after every component it references: parents first.
        List<List<Table>> groups = new ArrayList<>();
        for (List<Long> component : tarjan.components) {
            groups.add(component.stream().map(catalog.tables()::get).toList());
        }
        return groups;
    }

    private static final class Tarjan {
        final Map<Long, List<Long>> references;
        final Map<Long, Integer> index = new HashMap<>();
        final Map<Long, Integer> low = new HashMap<>();
        final Deque<Long> stack = new ArrayDeque<>();
        final Set<Long> onStack = new HashSet<>();
        final List<List<Long>> components = new ArrayList<>();

        Tarjan(Map<Long, List<Long>> references) {
            this.references = references;
        }

        void visit(long table) {
            index.put(table, index.size());
            low.put(table, index.get(table));
            stack.push(table);
            onStack.add(table);
            for (long parent : references.getOrDefault(table, List.of())) {
                if (!index.containsKey(parent)) {
                    visit(parent);
                    low.put(table, Math.min(low.get(table), low.get(parent)));
                } else if (onStack.contains(parent)) {
                    low.put(table, Math.min(low.get(table), index.get(parent)));
                }
            }
            if (low.get(table).equals(index.get(table))) {
                List<Long> component = new ArrayList<>();
                long member;
                do {
                    member = stack.pop();
                    onStack.remove(member);
                    component.add(member);
                } while (member != table);
                components.add(component);
            }
        }
    }
}
