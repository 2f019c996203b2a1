import dev.tidemark.maven.ItDatabase

def db = ItDatabase.create(basedir, context)
db.deploy(basedir, 'migrations')
db.execute('ALTER TABLE "User" ADD COLUMN hand_made integer')
return true
