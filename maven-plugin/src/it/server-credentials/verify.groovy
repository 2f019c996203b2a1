import dev.tidemark.maven.ItDatabase

try {
    def db = ItDatabase.of(context)
    assert db.applied('public') == ['20240101000000_init', '20240102000000_add_email']
    // the server's user ran the migrations (without it, the driver would log in as the operating system user)
    assert db.column("SELECT tableowner FROM pg_tables WHERE tablename = 'User'") == [db.user()]
    ItDatabase.logContains(basedir,
            'All migrations have been successfully applied: 2 migration(s)',
            '[DEBUG]   (f) serverId = tidemark-it',
            "No <server> with id 'no-such-server' in settings.xml (serverId).")
    def props = new Properties()
    new File(basedir, 'test.properties').withInputStream { props.load(it) }
    ItDatabase.logLacks(basedir, props.getProperty('tidemark.it.password'), "the server's password")
} finally {
    ItDatabase.drop(context)
}
return true
