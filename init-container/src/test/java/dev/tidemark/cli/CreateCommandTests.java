package dev.tidemark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code create} in-process, with a fixed clock: the directory name is Prisma's, in UTC. */
class CreateCommandTests {

    @TempDir
    Path tmp;

    private final InProcessCli cli = new InProcessCli();
    private final ByteArrayOutputStream out = cli.out;
    private final ByteArrayOutputStream err = cli.err;

    private int create(Map<String, String> env, String... args) {
        Clock clock = Clock.fixed(Instant.parse("2026-03-04T05:06:07Z"), ZoneOffset.ofHours(9));
        CliContext context = cli.context(env, clock);
        return TidemarkCli.run(context, args);
    }

    @Test
    void namesTheDirectoryWithTheUtcTimestampAndKeepsAnExistingLockFile() throws IOException {
        Path folder = tmp.resolve("migrations");
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("migration_lock.toml"), "provider = \"postgresql\"\n");

        int exit = create(Map.of("TIDEMARK_MIGRATIONS", folder.toString()), "create", "Add users' e-mail");

        assertThat(exit).as(err.toString()).isZero();
        Path script = folder.resolve("20260304050607_Add_users_e-mail/migration.sql");
        assertThat(script).hasContent("-- This is an empty migration.");
        assertThat(folder.resolve("migration_lock.toml")).hasContent("provider = \"postgresql\"");
        assertThat(out.toString()).contains(script.toString()).doesNotContain("migration_lock.toml");
    }

    @Test
    void withDownWritesAnEmptyDownScriptThatIsNotPartOfTheMigration() throws IOException {
        Path folder = tmp.resolve("migrations");

        assertThat(create(Map.of(), "create", "add_tags", "--with-down", "--migrations", folder.toString()))
                .as(err.toString()).isZero();

        Path down = folder.resolve("20260304050607_add_tags/down.sql");
        assertThat(Files.readString(down)).isEqualTo(CreateCommand.EMPTY_DOWN).startsWith("-- Rollback script");
        assertThat(folder.resolve("20260304050607_add_tags/migration.sql")).hasContent("-- This is an empty migration.");
        assertThat(out.toString()).contains(down.toString());
    }

    @Test
    void refusesToOverwriteAndToWriteIntoTheClassPath() {
        Path folder = tmp.resolve("migrations");
        assertThat(create(Map.of(), "create", "init", "--migrations", folder.toString())).isZero();
        assertThat(create(Map.of(), "create", "init", "--migrations", folder.toString()))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("already exists");

        assertThat(create(Map.of(), "create", "init", "--migrations", "classpath:db/migrations"))
                .isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void refusesNamesPrismaWouldRefuse() {
        String longName = "x".repeat(190);
        assertThat(create(Map.of(), "create", longName, "--migrations", tmp.toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("too long", "200");
    }

    @Test
    void slugKeepsLettersDigitsUnderscoresAndDashes() {
        assertThat(CreateCommand.slug("  add user email ")).isEqualTo("add_user_email");
        assertThat(CreateCommand.slug("drop/legacy*tables")).isEqualTo("drop_legacy_tables");
        assertThat(CreateCommand.slug("__x__")).isEqualTo("x");
        assertThat(CreateCommand.slug("???")).isEmpty();
    }
}
