import dev.tidemark.maven.ItDatabase

try {
    def db = ItDatabase.of(context)
    // lint, plan and verify-down change nothing in the database: no history table, no table
    assert db.column("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'") == ['0']
    ItDatabase.logContains(basedir,
            // 1: lint -Dtidemark.all=true on risky/
            'risky/20240102000000_drop_name/migration.sql:2:20: error drop-column: Dropping User.name',
            '1 lint finding (1 error, 0 warning, 0 info) in 2 migration(s), 2 statement(s); PostgreSQL 15 assumed;'
                    + ' 1 at or above error (failOn).',
            "-- tidemark:lint-ignore drop-column reason",
            // 2: lint against the database, plan, verify-down on migrations/
            'No lint findings in 2 migration(s), 2 statement(s)',
            '2 pending migration(s), 2 statement(s):',
            'migrations/20240102000000_add_email/migration.sql:1  ALTER TABLE "User" ADD COLUMN "email" TEXT',
            '20240101000000_init: reversible',
            '20240102000000_add_email: reversible',
            '2 migration(s) checked: 2 reversible, 0 leave(s) differences, 0 fail(s).',
            // 3: verify-down on bad-down/
            '1 migration(s) checked: 0 reversible, 1 leave(s) differences, 0 fail(s).',
            'Fix each down.sql listed above')
    assert ItDatabase.logCount(basedir, 'BUILD FAILURE') == 2
} finally {
    ItDatabase.drop(context)
}
return true
