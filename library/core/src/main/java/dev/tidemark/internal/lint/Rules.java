package dev.tidemark.internal.lint;

import dev.tidemark.LintRule;
import dev.tidemark.LintSeverity;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The lint rules: ids, severities and texts, in the order of the README's table. */
public final class Rules {

    public static final String CREATE_INDEX = "create-index-not-concurrent";
    public static final String DROP_INDEX = "drop-index-not-concurrent";
    public static final String CONSTRAINT_NOT_VALID = "constraint-without-not-valid";
    public static final String SET_NOT_NULL = "set-not-null";
    public static final String TYPE_REWRITE = "type-change-rewrites";
    public static final String VOLATILE_DEFAULT = "add-column-volatile-default";
    public static final String UNIQUE_WITHOUT_INDEX = "constraint-without-index";
    public static final String VACUUM_FULL = "vacuum-full-or-cluster";
    public static final String CONCURRENTLY_IN_TRANSACTION = "concurrently-in-transaction";
    public static final String TIMEOUT_DISABLED = "timeout-disabled";
    public static final String DROP_COLUMN = "drop-column";
    public static final String DROP_TABLE = "drop-table";
    public static final String RENAME_COLUMN = "rename-column";
    public static final String RENAME_TABLE = "rename-table";
    public static final String NOT_NULL_NO_DEFAULT = "add-not-null-without-default";
    public static final String ENUM_VALUE_REMOVED = "enum-value-removed";
    public static final String WHOLE_TABLE_DML = "whole-table-update";
    public static final String BACKFILL_WITH_DDL = "backfill-with-ddl";
    public static final String NOT_RERUNNABLE = "not-rerunnable";
    public static final String IDENTIFIER_TOO_LONG = "identifier-too-long";
    public static final String INT_PRIMARY_KEY = "int-primary-key";
    public static final String TIMESTAMP_WITHOUT_TZ = "timestamp-without-time-zone";
    public static final String VARCHAR_LENGTH = "varchar-length";
    public static final String MISSING_DOWN = "missing-down-script";

    private static final Map<String, LintRule> RULES = new LinkedHashMap<>();

    static {
        rule(CREATE_INDEX, "locks", LintSeverity.WARNING, true, "Index built without CONCURRENTLY",
                "CREATE INDEX takes a SHARE lock on a table that already exists: every INSERT, UPDATE and DELETE on"
                        + " it waits until the whole index is built, which on a large table takes minutes. (An index"
                        + " on a table created earlier in the same migration is not flagged: nobody uses it yet.)",
                "CREATE INDEX CONCURRENTLY IF NOT EXISTS ... in its own migration (Tidemark runs it in"
                        + " autocommit); it waits for running transactions but blocks no writes.");
        rule(DROP_INDEX, "locks", LintSeverity.WARNING, true, "Index dropped without CONCURRENTLY",
                "DROP INDEX takes an ACCESS EXCLUSIVE lock on the index's table: reads and writes wait, and while it"
                        + " waits for a long-running query every later query queues behind it.",
                "DROP INDEX CONCURRENTLY IF EXISTS ... in its own migration (autocommit).");
        rule(CONSTRAINT_NOT_VALID, "locks", LintSeverity.WARNING, true, "Foreign key or CHECK added without NOT VALID",
                "Adding a FOREIGN KEY or CHECK constraint to an existing table scans the whole table to validate"
                        + " it while holding its lock (SHARE ROW EXCLUSIVE on both tables of a foreign key, ACCESS"
                        + " EXCLUSIVE for a CHECK): writes wait for the whole scan.",
                "ALTER TABLE t ADD CONSTRAINT c ... NOT VALID; then, in a later migration, ALTER TABLE t VALIDATE"
                        + " CONSTRAINT c (SHARE UPDATE EXCLUSIVE: reads and writes go on).");
        rule(SET_NOT_NULL, "locks", LintSeverity.WARNING, true, "SET NOT NULL on an existing column",
                "ALTER COLUMN ... SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock to check that no"
                        + " row holds NULL: reads and writes wait for the scan.",
                "ADD CONSTRAINT c CHECK (col IS NOT NULL) NOT VALID; VALIDATE CONSTRAINT c in a later migration;"
                        + " then SET NOT NULL (PostgreSQL 12+ uses the valid CHECK and skips the scan) and DROP"
                        + " CONSTRAINT c.");
        rule(TYPE_REWRITE, "locks", LintSeverity.ERROR, true, "Column type change that rewrites the table",
                "Changing a column's type rewrites the whole table and rebuilds its indexes under an ACCESS"
                        + " EXCLUSIVE lock, unless the change is binary-coercible (varchar(n) to varchar(m) with"
                        + " m >= n, varchar to text, numeric(p,s) to numeric(q,s) with q >= p, which are not"
                        + " flagged). The running application's queries wait for the whole rewrite.",
                "Add a new column of the new type, backfill it in batches, switch the application to it"
                        + " (dual-write), then drop the old column.");
        rule(VOLATILE_DEFAULT, "locks", LintSeverity.ERROR, true, "Column added with a volatile default",
                "ADD COLUMN with a volatile default (random(), gen_random_uuid(), clock_timestamp(), nextval(),"
                        + " serial, identity or stored generated columns) rewrites the whole table under an ACCESS"
                        + " EXCLUSIVE lock; before PostgreSQL 11 any non-null default does. Constant and stable"
                        + " defaults such as now() are stored once and are instant.",
                "Add the column without a default (or with a constant one), set the default in a second"
                        + " statement, and backfill existing rows in batches.");
        rule(UNIQUE_WITHOUT_INDEX, "locks", LintSeverity.WARNING, true, "UNIQUE or PRIMARY KEY added without USING INDEX",
                "ADD CONSTRAINT ... UNIQUE or PRIMARY KEY builds its index under an ACCESS EXCLUSIVE lock: reads"
                        + " and writes of the table wait for the whole build.",
                "CREATE UNIQUE INDEX CONCURRENTLY i ON t (...) in one migration; then ALTER TABLE t ADD CONSTRAINT c"
                        + " UNIQUE USING INDEX i (or PRIMARY KEY USING INDEX i), which is instant.");
        rule(VACUUM_FULL, "locks", LintSeverity.ERROR, true, "VACUUM FULL or CLUSTER",
                "VACUUM FULL and CLUSTER rewrite the table under an ACCESS EXCLUSIVE lock: reads and writes wait for"
                        + " the whole rewrite.",
                "Leave vacuuming to autovacuum; to shrink a bloated table online, use pg_repack or pg_squeeze"
                        + " outside migrations.");
        rule(CONCURRENTLY_IN_TRANSACTION, "locks", LintSeverity.ERROR, true,
                "CONCURRENTLY forced into a transaction by the directive",
                "The header -- tidemark:transaction=per-migration runs the file in one transaction, but CREATE/DROP"
                        + " INDEX CONCURRENTLY and REINDEX CONCURRENTLY cannot run in a transaction block:"
                        + " PostgreSQL refuses the statement and the deploy fails.",
                "Remove the directive (Tidemark then runs the file in autocommit), and keep the concurrent"
                        + " statement in a migration of its own.");
        rule(TIMEOUT_DISABLED, "locks", LintSeverity.WARNING, true, "lock_timeout or statement_timeout set to 0",
                "Setting lock_timeout to 0 lets a statement wait for a lock forever, and every query on that table"
                        + " queues behind it; statement_timeout 0 lets a runaway statement hold its locks forever."
                        + " Tidemark's lock timeout (default 3 s) and retries exist to prevent exactly that.",
                "Remove the SET; give the deploy a larger lock timeout or statement timeout if the migration"
                        + " really needs one, or SET LOCAL a bounded value.");
        rule(DROP_COLUMN, "breaking", LintSeverity.ERROR, true, "Column dropped",
                "Dropping a column breaks the running application while its queries still name the column (and"
                        + " ORMs that select every column fail at once).",
                "Expand/contract: stop reading and writing the column in a release first, then drop it in a later"
                        + " migration.");
        rule(DROP_TABLE, "breaking", LintSeverity.ERROR, true, "Table dropped",
                "Dropping a table breaks the running application while it still uses the table, and the data is"
                        + " gone.",
                "Stop using the table in a release first (renaming it aside for a while is a cheap safety net), then"
                        + " drop it in a later migration.");
        rule(RENAME_COLUMN, "breaking", LintSeverity.ERROR, true, "Column renamed",
                "Renaming a column breaks every running instance that still uses the old name, from the moment the"
                        + " migration commits until all of them are replaced.",
                "Add the new column, dual-write and backfill, switch reads to it, then drop the old column.");
        rule(RENAME_TABLE, "breaking", LintSeverity.ERROR, true, "Table renamed",
                "Renaming a table breaks every running instance that still uses the old name.",
                "Create the new table (or a view with the new name), dual-write, move the readers, then drop the"
                        + " old one.");
        rule(NOT_NULL_NO_DEFAULT, "breaking", LintSeverity.ERROR, true, "NOT NULL column added without a default",
                "Adding a NOT NULL column without a default fails on a table that holds rows (23502), and breaks"
                        + " running instances whose INSERTs do not set the new column.",
                "Add the column nullable (or with a default); backfill; then constrain it (CHECK ... NOT VALID,"
                        + " VALIDATE, SET NOT NULL) once every writer sets it.");
        rule(ENUM_VALUE_REMOVED, "breaking", LintSeverity.ERROR, true, "Enum value removed or renamed",
                "Removing or renaming an enum value breaks running instances that still write it, and the"
                        + " recreate-and-cast form Prisma generates rewrites every table using the type.",
                "Add the new value first (ALTER TYPE ... ADD VALUE), move the application and the rows to it, and"
                        + " remove the old value only once nothing writes it.");
        rule(WHOLE_TABLE_DML, "data", LintSeverity.WARNING, true, "UPDATE or DELETE over a whole table in a transaction",
                "An UPDATE or DELETE without WHERE on an existing table in a transactional migration locks every row"
                        + " it touches until the whole migration commits, and its dead rows bloat the table.",
                "Backfill in batches (UPDATE ... WHERE id BETWEEN ...) in a migration with -- tidemark:transaction=none"
                        + " at the top, so that each batch commits on its own.");
        rule(BACKFILL_WITH_DDL, "data", LintSeverity.WARNING, true, "Backfill in the same transaction as DDL",
                "A data change on a table in the same transaction as DDL on that table holds the DDL's ACCESS"
                        + " EXCLUSIVE lock for the whole backfill: reads and writes wait until the migration commits.",
                "Put the DDL in one migration and the backfill in the next (batched, -- tidemark:transaction=none).");
        rule(NOT_RERUNNABLE, "resumability", LintSeverity.WARNING, true, "Statement in an autocommit migration that cannot be re-run",
                "In an autocommit migration each statement commits on its own, so after an interruption the"
                        + " migration may be re-run from the top; CREATE INDEX CONCURRENTLY without IF NOT EXISTS, DROP"
                        + " INDEX CONCURRENTLY without IF EXISTS and ALTER TYPE ... ADD VALUE without IF NOT EXISTS then"
                        + " fail because their work is already done.",
                "Write CREATE INDEX CONCURRENTLY IF NOT EXISTS, DROP INDEX CONCURRENTLY IF EXISTS, ALTER TYPE ..."
                        + " ADD VALUE IF NOT EXISTS.");
        rule(IDENTIFIER_TOO_LONG, "hygiene", LintSeverity.WARNING, true, "Identifier longer than 63 bytes",
                "PostgreSQL truncates identifiers to 63 bytes without an error (only a NOTICE): two long names can"
                        + " collide, and the name in the catalog differs from the one in the migration and the ORM.",
                "Use a name of at most 63 bytes (Prisma: @@map / map: on the index or constraint).");
        rule(INT_PRIMARY_KEY, "hygiene", LintSeverity.INFO, false, "int primary key",
                "An integer (int4) primary key runs out at 2,147,483,647, and widening it later rewrites the table"
                        + " and every table that references it.",
                "Use bigint (bigserial, or bigint GENERATED ALWAYS AS IDENTITY) from the start.");
        rule(TIMESTAMP_WITHOUT_TZ, "hygiene", LintSeverity.INFO, false, "timestamp without time zone",
                "timestamp without time zone stores wall-clock time with no zone: values written from sessions in"
                        + " different time zones cannot be compared.",
                "Use timestamptz (timestamp with time zone).");
        rule(VARCHAR_LENGTH, "hygiene", LintSeverity.INFO, false, "varchar(n)",
                "varchar(n) is no faster than text in PostgreSQL, and raising n later is a migration of its own.",
                "Use text, with a CHECK (length(col) <= n) constraint if a limit is really needed.");
        rule(MISSING_DOWN, "hygiene", LintSeverity.INFO, false, "Migration without down.sql",
                "A migration directory without a down.sql cannot be rolled back: tidemark rollback stops before"
                        + " running anything when it reaches it, and verify-down has nothing to check, so the way back"
                        + " is written by hand during the incident.",
                "Write down.sql beside migration.sql (tidemark create-down NAME generates it from the schema diff),"
                        + " and check it with tidemark verify-down.");
    }

    private Rules() {
    }

    private static void rule(String id, String category, LintSeverity severity, boolean on, String title,
            String explanation, String safeForm) {
        RULES.put(id, new LintRule(id, category, severity, on, title, explanation, safeForm));
    }

    /** Every rule, in the README's order. */
    public static List<LintRule> all() {
        return List.copyOf(RULES.values());
    }

    /** The rule with this id, or null. */
    public static LintRule get(String id) {
        return RULES.get(id);
    }
}
