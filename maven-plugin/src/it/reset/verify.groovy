import dev.tidemark.maven.ItDatabase

try {
    def db = ItDatabase.of(context)
    assert db.column('SELECT count(*) FROM "User"') == ['0']
    assert db.column("SELECT count(*) FROM information_schema.tables WHERE table_name = 'made_by_hand'") == ['0']
    assert db.applied('public') == ['20240101000000_init', '20240102000000_add_email']
    assert db.column('SELECT count(*) FROM _prisma_migrations') == ['2']
    ItDatabase.logContains(basedir,
            'Reset schema public: dropped all of its objects and applied 2 migration(s) again in ')
} finally {
    ItDatabase.drop(context)
}
return true
