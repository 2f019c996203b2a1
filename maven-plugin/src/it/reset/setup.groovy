import dev.tidemark.maven.ItDatabase

def db = ItDatabase.create(basedir, context)
db.deploy(basedir, 'migrations')
db.execute("INSERT INTO \"User\" (name, email) VALUES ('ada', 'ada@example.com')")
db.execute('CREATE TABLE made_by_hand (id int)')
return true
