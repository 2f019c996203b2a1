dev.tidemark.maven.ItDatabase.create(basedir, context)
return true
