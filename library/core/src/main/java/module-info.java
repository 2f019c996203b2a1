/**
 * Tidemark's engine. Only {@code dev.tidemark} is exported; the {@code dev.tidemark.internal} packages stay hidden on
 * the module path (on the class path, their package documentation says they are internal).
 */
module dev.tidemark {
    requires transitive java.sql;
    requires org.postgresql.jdbc;
    requires org.slf4j;

    exports dev.tidemark;
}
