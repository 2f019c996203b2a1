// the URL without user and password (ItDatabase writes them for the server in settings.xml)
dev.tidemark.maven.ItDatabase.create(basedir, context, false)
return true
