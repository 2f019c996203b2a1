import dev.tidemark.maven.ItDatabase

try {
    def db = ItDatabase.of(context)
    assert db.applied('public') == ['20240101000000_init']
    assert db.column("SELECT count(*) FROM public._prisma_migrations") == ['1']
    assert db.column("SELECT count(*) FROM information_schema.columns WHERE table_name = 'Item'") == ['1']
    ItDatabase.logContains(basedir,
            // 1: mvn verify runs tidemark:validate (its default phase) and fails
            ':validate (default) @ validate-modified',
            '[TM3021] Validation failed',
            'modified since applied: 20240101000000_init',
            // 2: a strict deploy refuses to go on
            '[TM3020] Strict mode refuses to deploy because applied migration(s) were modified since they ran:'
                    + ' 20240101000000_init.')
    assert ItDatabase.logCount(basedir, 'BUILD FAILURE') == 2
} finally {
    ItDatabase.drop(context)
}
return true
