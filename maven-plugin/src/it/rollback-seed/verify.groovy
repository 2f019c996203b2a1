import dev.tidemark.maven.ItDatabase

try {
    def db = ItDatabase.of(context)
    assert db.applied('public') == ['20240101000000_init', '20240102000000_add_email']
    // the dry run rolled back nothing; the real one left its row, marked, and deploy added a new one
    assert db.column('SELECT migration_name FROM _prisma_migrations WHERE rolled_back_at IS NOT NULL') ==
            ['20240102000000_add_email']
    assert db.column('SELECT count(*) FROM _prisma_migrations') == ['3']
    assert db.column('SELECT name || \' \' || email FROM "User" ORDER BY id') ==
            ['ada ada@example.com', 'grace grace@example.com']
    ItDatabase.logContains(basedir,
            // 1
            'Refusing to roll back without a target',
            // 2
            'Dry run: would roll back 2 migrations, newest first (nothing was changed):',
            'Rolled back 1 migration in ',
            '1 migration(s) stay applied. They are pending again: the next mvn tidemark:deploy applies them.',
            'Pending (1):',
            // 3
            'All migrations have been successfully applied: 1 migration(s)',
            'Seeded schema public from ')
    ItDatabase.logContains(basedir, 'seed.sql: 1 statement(s) in ')
    assert ItDatabase.logCount(basedir, 'BUILD FAILURE') == 1
} finally {
    ItDatabase.drop(context)
}
return true
