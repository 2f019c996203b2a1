import dev.tidemark.maven.ItDatabase

// the history records the migration as it was: 'applied' differs from 'migrations' in one column
ItDatabase.create(basedir, context).deploy(basedir, 'applied')
return true
