dev.tidemark.maven.ItDatabase.createLocal(itEnvDatabase, context)
return true
