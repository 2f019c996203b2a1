import dev.tidemark.maven.ItDatabase

// basedir is this script's folder (see setup.groovy)
def project = new File(basedir, '../../../target/it-sample/maven-plugin').canonicalFile

try {
    def db = ItDatabase.of(context)
    assert db.applied('public') == ['20240101000000_create_notes', '20240115000000_add_note_author']
    assert db.column("SELECT column_name FROM information_schema.columns WHERE table_name = 'Note'"
            + " ORDER BY ordinal_position") == ['id', 'body', 'createdAt', 'author']

    ItDatabase.logContains(project,
            // 1: mvn verify, before any deploy
            ':validate (check-database) @ notes-schema',
            'pending: 20240101000000_create_notes, 20240115000000_add_note_author',
            // 2: mvn tidemark:deploy verify
            'All migrations have been successfully applied: 2 migration(s)',
            'Database schema is up to date: 2 migration(s) applied, none pending, failed or modified.')
    assert new File(project, 'target/notes-schema-1.0.0-SNAPSHOT.jar').isFile()
} finally {
    ItDatabase.drop(context)
}
return true
