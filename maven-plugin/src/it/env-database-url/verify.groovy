import dev.tidemark.maven.ItDatabase

try {
    def connection = ItDatabase.connectLocal(context)
    try {
        def rs = connection.createStatement().executeQuery(
                'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY migration_name')
        def applied = []
        while (rs.next()) {
            applied << rs.getString(1)
        }
        assert applied == ['20240101000000_init', '20240102000000_add_email']
    } finally {
        connection.close()
    }
    ItDatabase.logContains(basedir,
            'All migrations have been successfully applied: 2 migration(s)',
            '[DEBUG]   (f) location = migrations')
    // the password of DATABASE_URL (trust authentication ignores it) appears nowhere, even with -X
    ItDatabase.logLacks(basedir, 'env-Secret-5521', "DATABASE_URL's password")
} finally {
    ItDatabase.drop(context)
}
return true
