import dev.tidemark.maven.ItDatabase

try {
    def db = ItDatabase.of(context)
    assert db.applied('public') == ['20240101000000_create_notes', '20240115000000_add_note_author']
    assert db.column("SELECT column_name FROM information_schema.columns WHERE table_name = 'Note'"
            + " ORDER BY ordinal_position") == ['id', 'body', 'createdAt', 'author']

    ItDatabase.logContains(basedir,
            // 1: mvn verify, before any deploy
            ':validate (check-database) @ notes-schema',
            'pending: 20240101000000_create_notes, 20240115000000_add_note_author',
            // 2: mvn tidemark:deploy verify
            'All migrations have been successfully applied: 2 migration(s)',
            'Database schema is up to date: 2 migration(s) applied, none pending, failed or modified.')
    assert new File(basedir, 'target/notes-schema-1.0.0-SNAPSHOT.jar').isFile()
} finally {
    ItDatabase.drop(context)
}
return true
