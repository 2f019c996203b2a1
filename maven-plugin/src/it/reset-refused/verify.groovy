import dev.tidemark.maven.ItDatabase

try {
    def db = ItDatabase.of(context)
    assert db.column('SELECT name FROM "User"') == ['ada']
    assert db.column("SELECT count(*) FROM information_schema.tables WHERE table_name = 'made_by_hand'") == ['1']
    assert db.applied('public') == ['20240101000000_init', '20240102000000_add_email']
    ItDatabase.logContains(basedir,
            // 1: TIDEMARK_ALLOW_RESET=true alone is not enough
            '[TM3022] Refusing to reset: it drops every table and all data in the target schema. If that is what you'
                    + ' want, pass -Dtidemark.force=true (or <force>true</force>) and set TIDEMARK_ALLOW_RESET=true'
                    + ' in the environment.',
            // 2: nor is force alone
            "[TM3022] Refusing to reset although force is set, because TIDEMARK_ALLOW_RESET is not 'true' in this"
                    + ' environment.')
} finally {
    ItDatabase.drop(context)
}
return true
