package dev.tidemark;

import dev.tidemark.testdb.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What Tidemark reads from the migrations folder, and how it reacts to malformed or changed folders. */
class MigrationsFolderTests {

    @TempDir
    Path dir;
    TestDatabase db;

    @BeforeEach
    void setUp() {
        db = TestDatabase.create(getClass());
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    @Test
    void appliesDirectoriesInLexicographicOrderWhateverTheirPrefix() throws Exception {
        MigrationsFolder folder = MigrationsFolder.in(dir)
                .add("02_second", "ALTER TABLE a ADD COLUMN b int;")
                .add("01_first", "CREATE TABLE a (id int);")
                .add("10_third", "ALTER TABLE a ADD COLUMN c int;")
                .write(".git/keep", "")
                .write("README.md", "not a migration");
        Files.createSymbolicLink(dir.resolve("05_dangling"), dir.resolve("nowhere"));

        DeployResult result = folder.migrator(db.postgresUrl()).build().deploy();

        assertThat(result.applied()).extracting(AppliedMigration::name)
                .containsExactly("01_first", "02_second", "10_third");
    }

    @Test
    void aFileHoldingOnlyCreateIndexConcurrentlyApplies() {
        MigrationsFolder folder = MigrationsFolder.in(dir)
                .add("01_table", "CREATE TABLE a (id int, name text);")
                .add("02_index", "-- CreateIndex\nCREATE INDEX CONCURRENTLY \"a_name_idx\" ON \"a\"(\"name\");\n");

        folder.migrator(db.postgresUrl()).build().deploy();

        assertThat(Sql.value(db, "SELECT indisvalid FROM pg_index WHERE indexrelid = 'a_name_idx'::regclass"))
                .isEqualTo(true);
        assertThat(Sql.value(db, "SELECT applied_steps_count FROM _prisma_migrations"
                + " WHERE migration_name = '02_index'")).isEqualTo(1);
    }

    @Test
    void crlfFilesAreStoredWithTheirOwnChecksumAndMatchTheirLfCheckout() throws Exception {
        String lf = "CREATE TABLE a (\n  id int\n);\n";
        String crlf = lf.replace("\n", "\r\n");
        MigrationsFolder folder = MigrationsFolder.in(dir).addBytes("01_init", crlf.getBytes(StandardCharsets.UTF_8));
        Migrator migrator = folder.migrator(db.postgresUrl()).build();
        migrator.deploy();

        String recorded = (String) Sql.value(db, "SELECT checksum FROM _prisma_migrations");
        assertThat(recorded).isEqualTo(sha256(crlf)).hasSize(64);

        // The same repository checked out with LF endings is not "modified".
        folder.addBytes("01_init", lf.getBytes(StandardCharsets.UTF_8));
        assertThat(migrator.status().modified()).isEmpty();
        assertThat(migrator.status().upToDate()).isTrue();
        assertThat(migrator.deploy().warnings()).isEmpty();
    }

    @Test
    void aModifiedMigrationIsReportedWarnedAboutAndRefusedInStrictMode() {
        MigrationsFolder folder = MigrationsFolder.in(dir).add("01_init", "CREATE TABLE a (id int);");
        folder.migrator(db.postgresUrl()).build().deploy();
        folder.add("01_init", "CREATE TABLE a (id bigint);")
                .add("02_next", "CREATE TABLE b (id int);");

        Migrator lenient = folder.migrator(db.postgresUrl()).build();
        MigrationStatus status = lenient.status();
        assertThat(status.modified()).singleElement().satisfies(m -> {
            assertThat(m.name()).isEqualTo("01_init");
            assertThat(m.checksum()).isEqualTo(sha256("CREATE TABLE a (id bigint);"));
            assertThat(m.appliedChecksum()).isEqualTo(sha256("CREATE TABLE a (id int);"));
        });

        Migrator strict = folder.migrator(db.postgresUrl()).strict(true).build();
        assertThatThrownBy(strict::deploy).isInstanceOfSatisfying(TidemarkException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.MODIFIED_MIGRATION);
            assertThat(e.getMessage()).contains("01_init");
        });
        assertThat(Sql.tableExists(db, "public.b")).as("strict mode applies nothing").isFalse();

        DeployResult result = lenient.deploy();
        assertThat(result.warnings()).singleElement().asString().contains("01_init", "modified");
        assertThat(result.applied()).extracting(AppliedMigration::name).containsExactly("02_next");
    }

    @Test
    void migrationsAppliedButMissingLocallyAreReported() {
        MigrationsFolder folder = MigrationsFolder.in(dir).add("01_init", "CREATE TABLE a (id int);");
        folder.migrator(db.postgresUrl()).build().deploy();
        Path other = dir.resolveSibling(dir.getFileName() + "-other");
        MigrationsFolder elsewhere = MigrationsFolder.in(other).add("02_next", "CREATE TABLE b (id int);");

        Migrator migrator = elsewhere.migrator(db.postgresUrl()).build();
        assertThat(migrator.status().missingLocally()).extracting(MigrationInfo::name).containsExactly("01_init");
        assertThat(migrator.deploy().warnings()).singleElement().asString().contains("01_init", "missing");
    }

    @Test
    void aMissingFolderIsExplainedBeforeTouchingTheDatabase() {
        Migrator migrator = Migrator.builder().url(db.postgresUrl()).location(dir.resolve("nope").toString()).build();
        assertThatThrownBy(migrator::deploy).isInstanceOfSatisfying(TidemarkException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.MIGRATIONS_NOT_FOUND);
            assertThat(e.getMessage()).contains(dir.resolve("nope").toString(), "does not exist");
        });
        assertThat(Sql.tableExists(db, "public._prisma_migrations")).isFalse();
    }

    @Test
    void aDirectoryWithoutMigrationSqlIsNamed() throws Exception {
        MigrationsFolder folder = MigrationsFolder.in(dir).add("01_init", "CREATE TABLE a (id int);");
        Files.createDirectories(dir.resolve("02_forgotten"));
        Files.writeString(dir.resolve("02_forgotten/migraton.sql"), "CREATE TABLE b (id int);");

        assertThatThrownBy(() -> folder.migrator(db.postgresUrl()).build().deploy())
                .isInstanceOfSatisfying(TidemarkException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.MIGRATIONS_INVALID);
                    assertThat(e.getMessage()).contains("02_forgotten", "migration.sql");
                });
        assertThat(Sql.tableExists(db, "public.a")).as("nothing applied").isFalse();
    }

    @Test
    void aLockFileForAnotherProviderIsRefused() {
        MigrationsFolder folder = MigrationsFolder.in(dir).add("01_init", "CREATE TABLE a (id int);")
                .write("migration_lock.toml", "# Please do not edit this file manually\nprovider = \"mysql\"\n");

        assertThatThrownBy(() -> folder.migrator(db.postgresUrl()).build().deploy())
                .isInstanceOfSatisfying(TidemarkException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.MIGRATIONS_INVALID);
                    assertThat(e.getMessage()).contains("'mysql'", "migration_lock.toml");
                });
        assertThat(Sql.tableExists(db, "public.a")).isFalse();
    }

    @Test
    void aMigrationSqlThatIsADirectoryIsNamed() throws Exception {
        MigrationsFolder folder = MigrationsFolder.in(dir).add("01_init", "CREATE TABLE a (id int);");
        Files.createDirectories(dir.resolve("02_odd/migration.sql"));

        assertThatThrownBy(() -> folder.migrator(db.postgresUrl()).build().deploy())
                .isInstanceOfSatisfying(TidemarkException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.MIGRATIONS_INVALID);
                    assertThat(e.getMessage()).contains("'02_odd'", "02_odd/migration.sql is a directory")
                            .doesNotContain("IOException");
                });
        assertThat(Sql.tableExists(db, "public.a")).as("nothing applied").isFalse();
    }

    @Test
    void downScriptsAreReadOnlyByWhatRunsThemNotByDeployOrStatus() throws Exception {
        // A down.sql that cannot be read proves which commands read it: deploy and status must not look.
        MigrationsFolder folder = MigrationsFolder.in(dir).add("01_init", "CREATE TABLE a (id int);");
        Files.createDirectories(dir.resolve("01_init/down.sql"));
        Migrator migrator = folder.migrator(db.postgresUrl()).build();

        assertThat(migrator.deploy().applied()).extracting(AppliedMigration::name).containsExactly("01_init");
        assertThat(migrator.status().migrations()).extracting(MigrationInfo::state)
                .containsExactly(MigrationState.APPLIED);
        assertThatThrownBy(() -> migrator.rollback(RollbackRequest.steps(1)))
                .isInstanceOfSatisfying(TidemarkException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.MIGRATIONS_INVALID);
                    assertThat(e.getMessage()).contains("01_init/down.sql",
                            "the rollback script of the migration '01_init'");
                });
        assertThat(Sql.tableExists(db, "public.a")).as("the failed rollback ran nothing").isTrue();
    }

    @Test
    void aMigrationSqlThatIsADirectoryInAJarIsNamed() throws Exception {
        Path jar = dir.resolve("app.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("db/migrations/migration_lock.toml"));
            out.write(MigrationsFolder.LOCK_FILE.getBytes(StandardCharsets.UTF_8));
            out.putNextEntry(new JarEntry("db/migrations/01_odd/migration.sql/"));
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            assertThatThrownBy(() -> Migrator.builder().url(db.postgresUrl()).location("classpath:db/migrations")
                    .classLoader(loader).build().deploy()).isInstanceOfSatisfying(TidemarkException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.MIGRATIONS_INVALID);
                        assertThat(e.getMessage()).contains("'01_odd'", "is a directory");
                    });
        }
    }

    @Test
    void aLockFileWithoutProviderIsRefusedNamingIt() {
        MigrationsFolder folder = MigrationsFolder.in(dir).add("01_init", "CREATE TABLE a (id int);")
                .write("migration_lock.toml", "# Please do not edit this file manually\n# providers = \"x\"\n");

        assertThatThrownBy(() -> folder.migrator(db.postgresUrl()).build().deploy())
                .isInstanceOfSatisfying(TidemarkException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.MIGRATIONS_INVALID);
                    assertThat(e.getMessage()).contains(dir + "/migration_lock.toml", "no provider line",
                            "provider = \"postgresql\"");
                });
        assertThat(Sql.tableExists(db, "public.a")).isFalse();
    }

    @Test
    void aScriptThatIsNotUtf8IsRefused() {
        MigrationsFolder folder = MigrationsFolder.in(dir)
                .addBytes("01_init", new byte[] {'S', 'E', 'L', 'E', 'C', 'T', ' ', '\'', (byte) 0xE9, '\''});
        assertThatThrownBy(() -> folder.migrator(db.postgresUrl()).build().deploy())
                .isInstanceOfSatisfying(TidemarkException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.MIGRATIONS_INVALID);
                    assertThat(e.getMessage()).contains("01_init/migration.sql", "UTF-8");
                });
    }

    /** U+FFFD is what a lenient decoder puts for bad bytes; written in the file, it is valid UTF-8 and kept. */
    @Test
    void aReplacementCharacterWrittenInTheScriptIsValidAndKept() throws Exception {
        MigrationsFolder folder = MigrationsFolder.in(dir)
                .add("01_init", "CREATE TABLE a (s text); INSERT INTO a VALUES ('\uFFFD');")
                .addBytes("02_bad", new byte[] {'S', 'E', 'L', 'E', 'C', 'T', ' ', '\'', (byte) 0xEF, (byte) 0xBF,
                        '\''});
        assertThatThrownBy(() -> folder.migrator(db.postgresUrl()).build().deploy())
                .as("a truncated sequence beside a real U+FFFD is still refused")
                .isInstanceOfSatisfying(TidemarkException.class, e -> assertThat(e.getMessage())
                        .contains("02_bad/migration.sql", "not valid UTF-8"));
        Files.delete(dir.resolve("02_bad").resolve("migration.sql"));
        Files.delete(dir.resolve("02_bad"));
        folder.migrator(db.postgresUrl()).build().deploy();
        assertThat(Sql.value(db, "SELECT s FROM a")).isEqualTo("\uFFFD");
    }

    @Test
    void readsMigrationsFromAJarOnTheClassPath() throws Exception {
        Path jar = dir.resolve("app.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            put(out, "db/migrations/migration_lock.toml", MigrationsFolder.LOCK_FILE);
            put(out, "db/migrations/20240101000000_init/migration.sql", "CREATE TABLE a (id int);");
            // A down script listed before its migration's script, as a jar may order them.
            put(out, "db/migrations/20240102000000_more/down.sql", "DROP TABLE b;");
            put(out, "db/migrations/20240102000000_more/migration.sql", "CREATE TABLE b (id int);");
            put(out, "db/other/20240103000000_elsewhere/migration.sql", "CREATE TABLE c (id int);");
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            Migrator migrator = Migrator.builder().url(db.postgresUrl()).location("classpath:db/migrations")
                    .classLoader(loader).build();
            assertThat(migrator.deploy().applied()).extracting(AppliedMigration::name)
                    .containsExactly("20240101000000_init", "20240102000000_more");
            assertThat(migrator.status().applied().get(0).checksum()).isEqualTo(sha256("CREATE TABLE a (id int);"));
            assertThat(migrator.status().applied().get(1).checksum()).isEqualTo(sha256("CREATE TABLE b (id int);"));
            assertThat(migrator.rollback(RollbackRequest.steps(1)).rolledBack()).singleElement()
                    .satisfies(m -> assertThat(m.downFile()).isEqualTo(
                            "classpath:db/migrations/20240102000000_more/down.sql"));
            assertThat(Sql.tableExists(db, "public.b")).isFalse();
        }
    }

    @Test
    void aTargetSchemaIsCreatedAndUsedAsTheSearchPath() {
        MigrationsFolder folder = MigrationsFolder.in(dir).add("01_init", "CREATE TABLE a (id int);");
        Migrator migrator = folder.migrator(db.postgresUrl() + "?schema=tenant_1").build();

        assertThat(migrator.schema()).isEqualTo("tenant_1");
        migrator.deploy();

        assertThat(Sql.tableExists(db, "tenant_1.a")).isTrue();
        assertThat(Sql.tableExists(db, "tenant_1._prisma_migrations")).isTrue();
        assertThat(Sql.tableExists(db, "public.a")).isFalse();
    }

    @Test
    void deploysThroughADataSourceAndLeavesItsConnectionsAsTheyWere() throws Exception {
        MigrationsFolder folder = MigrationsFolder.in(dir).add("01_init", "CREATE TABLE a (id int);");
        SingleConnectionDataSource dataSource = new SingleConnectionDataSource(db.connect());
        dataSource.connection.setAutoCommit(false);
        Migrator migrator = Migrator.builder().dataSource(dataSource).location(dir.toString()).schema("app").build();

        assertThat(migrator.deploy().applied()).hasSize(1);

        assertThat(Sql.tableExists(db, "app.a")).isTrue();
        assertThat(dataSource.connection.getAutoCommit()).isFalse();
        try (var rs = dataSource.connection.createStatement().executeQuery("SHOW search_path")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("\"$user\", public");
        }
        dataSource.connection.rollback();
        dataSource.connection.close();
    }

    /** Hands out one physical connection whose close() is a no-op, like a pool returning it. */
    static final class SingleConnectionDataSource implements javax.sql.DataSource {
        final java.sql.Connection connection;

        SingleConnectionDataSource(java.sql.Connection connection) {
            this.connection = connection;
        }

        @Override
        public java.sql.Connection getConnection() {
            return (java.sql.Connection) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {java.sql.Connection.class}, (proxy, method, args) -> method.getName()
                            .equals("close") ? null : method.invoke(connection, args));
        }

        @Override
        public java.sql.Connection getConnection(String user, String password) {
            return getConnection();
        }

        @Override
        public java.io.PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(java.io.PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public java.util.logging.Logger getParentLogger() {
            return java.util.logging.Logger.getGlobal();
        }

        @Override
        public <T> T unwrap(Class<T> type) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean isWrapperFor(Class<?> type) {
            return false;
        }
    }

    private static void put(JarOutputStream out, String name, String content) throws Exception {
        out.putNextEntry(new JarEntry(name));
        OutputStream stream = out;
        stream.write(content.getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
    }

    static String sha256(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
