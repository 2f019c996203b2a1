import dev.tidemark.maven.ItDatabase

try {
    def db = ItDatabase.of(context)
    assert db.applied('app') == ['20240101000000_init', '20240102000000_add_email']
    assert db.column("SELECT count(*) FROM app.\"User\"") == ['0']
    assert db.column("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'") == ['0']
    ItDatabase.logContains(basedir,
            // 1: validate before any deploy
            '[TM3021] Validation failed',
            'pending: 20240101000000_init, 20240102000000_add_email',
            'From Maven: mvn tidemark:deploy',
            // 2: status, deploy, status, validate, deploy
            'Pending (2):',
            'All migrations have been successfully applied: 2 migration(s)',
            'Database schema is up to date!',
            'Database schema is up to date: 2 migration(s) applied, none pending, failed or modified.',
            'No pending migrations to apply (2 already applied).')
} finally {
    ItDatabase.drop(context)
}
return true
