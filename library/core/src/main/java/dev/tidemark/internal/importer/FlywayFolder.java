package dev.tidemark.internal.importer;

import dev.tidemark.ImportPlan;
import dev.tidemark.ImportedMigration;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/** A Flyway SQL migrations folder, read with Flyway's default naming ({@code V}, {@code U}, {@code R}, {@code __}). */
public final class FlywayFolder {

    private static final Pattern VERSIONED = Pattern.compile("V([0-9][0-9._]*)__(.*)\\.sql");
    private static final Pattern UNDO = Pattern.compile("U([0-9][0-9._]*)__(.*)\\.sql");
    private static final Pattern REPEATABLE = Pattern.compile("R__(.*)\\.sql");
    private static final Pattern BASELINE = Pattern.compile("B([0-9][0-9._]*)__(.*)\\.sql");
    private static final Pattern CALLBACK = Pattern.compile("(before|after)[A-Za-z]*(__.*)?\\.sql");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}\\s]+)}");
    /** All 14 digits: a version that already is a timestamp is kept as the directory's prefix. */
    private static final Pattern TIMESTAMP = Pattern.compile("[0-9]{14}");

    private FlywayFolder() {
    }

    private record Versioned(FlywayVersion version, String description, Path file, String script) {
    }

    public static ImportPlan read(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw ImportFiles.invalid("The Flyway folder " + folder + " does not exist or is not a directory. Give"
                    + " the folder holding the V<version>__<description>.sql files (Flyway's 'locations', for"
                    + " example src/main/resources/db/migration).");
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(folder)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> notices = new ArrayList<>();
        List<Versioned> versioned = new ArrayList<>();
        Map<FlywayVersion, Path> seen = new HashMap<>();
        for (Path file : files) {
            String name = file.getFileName().toString();
            Path relative = folder.relativize(file);
            Matcher v = VERSIONED.matcher(name);
            if (v.matches()) {
                FlywayVersion version;
                try {
                    version = FlywayVersion.parse(v.group(1));
                } catch (IllegalArgumentException e) {
                    notices.add(relative + " is not converted: '" + v.group(1) + "' is not a version Flyway accepts"
                            + " (digits separated by dots or underscores). Rename it if Flyway ran it.");
                    continue;
                }
                Path earlier = seen.putIfAbsent(version, relative);
                if (earlier != null) {
                    throw ImportFiles.invalid("Flyway version " + version + " is used by both " + earlier + " and "
                            + relative + " in " + folder + ", which Flyway refuses too. Keep the one Flyway applied"
                            + " (see flyway_schema_history) and import again.");
                }
                String script = ImportFiles.readUtf8(file);
                placeholders(relative, script, notices);
                versioned.add(new Versioned(version, v.group(2), relative, script));
            } else if (UNDO.matcher(name).matches()) {
                notices.add(relative + " is an undo migration and is not converted: Prisma Migrate and Tidemark only"
                        + " roll forward. To undo a change, create a new migration that reverses it ('tidemark"
                        + " create').");
            } else if (REPEATABLE.matcher(name).matches()) {
                notices.add(relative + " is a repeatable migration and is not converted: Tidemark has no repeatable"
                        + " migrations. Its current effect is in the database already; when you change it, put the"
                        + " new definition (CREATE OR REPLACE ...) in a new migration ('tidemark create').");
            } else if (BASELINE.matcher(name).matches()) {
                notices.add(relative + " is a Flyway baseline migration and is not converted: new databases are"
                        + " built from the V files. On a database Flyway baselined with it, the import records the"
                        + " versions up to it as applied, as Flyway treats them.");
            } else if (CALLBACK.matcher(name).matches()) {
                notices.add(relative + " is a Flyway callback and is not converted: Tidemark runs no callbacks."
                        + " Run it yourself before or after 'tidemark deploy' if you still need it.");
            } else if (name.endsWith(".sql.conf")) {
                notices.add(relative + " configures a script for Flyway and is not converted: Tidemark decides"
                        + " itself whether a migration needs to run outside a transaction; if its migration must"
                        + " not run in one, start its migration.sql with '-- tidemark:transaction=none'.");
            } else if (name.endsWith(".sql")) {
                notices.add(relative + " does not follow Flyway's V<version>__<description>.sql naming and is not"
                        + " converted (Flyway ignores it too, unless configured with another prefix or separator:"
                        + " then rename the files to the defaults and import again).");
            }
        }
        if (versioned.isEmpty()) {
            throw ImportFiles.invalid("No Flyway migration (V<version>__<description>.sql) was found in " + folder
                    + ". Give the folder of Flyway's 'locations' setting.");
        }
        versioned.sort(Comparator.comparing(Versioned::version));
        boolean timestamps = versioned.stream().allMatch(m -> TIMESTAMP.matcher(m.version().text()).matches());
        List<ImportedMigration> migrations = new ArrayList<>();
        for (int i = 0; i < versioned.size(); i++) {
            Versioned m = versioned.get(i);
            String prefix = timestamps ? m.version().text() : ImportFiles.sequence(i + 1);
            String label = timestamps ? m.description() : "v" + m.version().text() + "_" + m.description();
            migrations.add(ImportFiles.migration(prefix, label, m.file().toString(), m.version().text(),
                    m.script()));
        }
        return new ImportPlan(ImportPlan.Tool.FLYWAY, folder.toString(), migrations, notices, null);
    }

    private static void placeholders(Path file, String script, List<String> notices) {
        String[] lines = script.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher m = PLACEHOLDER.matcher(lines[i]);
            while (m.find()) {
                notices.add(file + " line " + (i + 1) + " uses the Flyway placeholder " + m.group() + ", which Flyway"
                        + " replaced with a value and Tidemark runs as written. If the migration was applied"
                        + " already, this only matters for shadow databases (diff, drift); if it still has to run,"
                        + " write the value into the file before deploying.");
            }
        }
    }

    /**
     * Flyway's checksum of a script: CRC-32 over its lines without line breaks, the first without a byte-order mark,
     * as a signed 32-bit number.
     */
    static int checksum(String script) {
        CRC32 crc = new CRC32();
        try (BufferedReader reader = new BufferedReader(new StringReader(script))) {
            String line = reader.readLine();
            if (line != null && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            while (line != null) {
                crc.update(line.getBytes(StandardCharsets.UTF_8));
                line = reader.readLine();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return (int) crc.getValue();
    }
}
