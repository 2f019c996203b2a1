def db = dev.tidemark.maven.ItDatabase.create(basedir, context)
db.deploy(basedir, 'migrations')
return true
