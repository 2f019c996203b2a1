package dev.tidemark.internal.reverse;

import dev.tidemark.ErrorCode;
import dev.tidemark.TidemarkException;
import dev.tidemark.internal.source.LocalMigration;

import java.util.ArrayList;
import java.util.List;

/** Finding a migration by the name a person types. */
final class Migrations {

    private Migrations() {
    }

    /**
     * The index of the migration named {@code name}: its directory name, or the part after the timestamp when exactly
     * one migration has it.
     */
    static int indexOf(List<LocalMigration> migrations, String name, String location) {
        List<Integer> bySuffix = new ArrayList<>();
        for (int i = 0; i < migrations.size(); i++) {
            String candidate = migrations.get(i).name();
            if (candidate.equals(name)) {
                return i;
            }
            if (candidate.endsWith("_" + name)) {
                bySuffix.add(i);
            }
        }
        if (bySuffix.size() == 1) {
            return bySuffix.get(0);
        }
        throw new TidemarkException(ErrorCode.MIGRATION_NOT_FOUND, "There is no migration " + name + " in "
                + location + (bySuffix.isEmpty() ? "" : "; " + bySuffix.size() + " migrations end in _" + name + ": "
                        + String.join(", ", bySuffix.stream().map(i -> migrations.get(i).name()).toList()))
                + ". Give the migration's directory name, as in the migrations folder.");
    }
}
