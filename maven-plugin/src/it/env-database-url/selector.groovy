// The URL in invoker.properties names the local server: skip when the tests run on another one.
def other = System.getenv('TIDEMARK_TEST_DATABASE_URL')
if (other != null && !other.isBlank()) {
    println 'env-database-url skipped: it needs the local server 127.0.0.1:5432, and TIDEMARK_TEST_DATABASE_URL is set'
    return false
}
return true
