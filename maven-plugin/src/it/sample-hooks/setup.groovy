// The invoker runs hooks with basedir set to the script's folder: the sample's clone is target/it-sample/maven-plugin
def project = new File(basedir, '../../../target/it-sample/maven-plugin').canonicalFile
dev.tidemark.maven.ItDatabase.create(project, context)
return true
