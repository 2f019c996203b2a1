package dev.tidemark.internal.importer;

import dev.tidemark.ImportPlan;
import dev.tidemark.ImportedMigration;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Liquibase formatted SQL changelog: {@code --liquibase formatted sql}, then {@code --changeset author:id} blocks. */
public final class LiquibaseChangelog {

    private static final Pattern HEADER = Pattern.compile("--\\s*liquibase\\s+formatted\\s+sql.*",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern CHANGESET = Pattern.compile(
            "--\\s*changeset\\s+(\"[^\"]+\"|[^:\\s]+):(\"[^\"]+\"|\\S+)(.*)", Pattern.CASE_INSENSITIVE);
    private static final Pattern INCLUDE = Pattern.compile("--\\s*include(All)?[\\s:].*", Pattern.CASE_INSENSITIVE);
    private static final Pattern PRECONDITION = Pattern.compile("--\\s*precondition.*", Pattern.CASE_INSENSITIVE);
    private static final Pattern ATTRIBUTE = Pattern.compile("(\\w+):(\"[^\"]*\"|\\S+)");

    private LiquibaseChangelog() {
    }

    private record Changeset(String author, String id, String attributes, int line, int start) {
    }

    public static ImportPlan read(Path changelog) {
        if (!Files.isRegularFile(changelog)) {
            throw ImportFiles.invalid("The Liquibase changelog " + changelog + " does not exist or is not a file."
                    + " Give the formatted SQL changelog (a .sql file starting with '--liquibase formatted sql').");
        }
        String text = ImportFiles.readUtf8(changelog);
        String fileName = changelog.getFileName().toString();
        String lower = fileName.toLowerCase(Locale.ROOT);
        String head = text.stripLeading();
        if (lower.endsWith(".xml") || lower.endsWith(".yaml") || lower.endsWith(".yml") || lower.endsWith(".json")
                || head.startsWith("<") || head.startsWith("databaseChangeLog") || head.startsWith("{")) {
            throw ImportFiles.invalid(changelog + " is an XML, YAML or JSON changelog, which Tidemark does not"
                    + " read: generate SQL first. Run 'liquibase update-sql' against an empty database to get each"
                    + " changeset's SQL (it prints a '-- Changeset <file>::<id>::<author>' comment above each), put"
                    + " it into a file that starts with '--liquibase formatted sql' and one '--changeset"
                    + " <author>:<id>' line above each changeset's SQL, keeping the ids and authors so that the"
                    + " DATABASECHANGELOG rows match, and import that file.");
        }
        List<String> notices = new ArrayList<>();
        List<Changeset> changesets = new ArrayList<>();
        boolean header = false;
        int offset = 0;
        int lineNumber = 0;
        while (offset < text.length()) {
            int end = text.indexOf('\n', offset);
            int next = end < 0 ? text.length() : end + 1;
            String line = text.substring(offset, end < 0 ? text.length() : end).strip();
            lineNumber++;
            if (!header && !line.isEmpty()) {
                if (!HEADER.matcher(line.replace("\uFEFF", "")).matches()) {
                    throw ImportFiles.invalid(changelog + " line " + lineNumber + " should be '--liquibase formatted"
                            + " sql': only Liquibase formatted SQL changelogs are imported. If this is plain SQL,"
                            + " make it a migration with 'tidemark create' instead; if it is another changelog"
                            + " format, generate SQL first ('liquibase update-sql').");
                }
                header = true;
            } else {
                Matcher m = CHANGESET.matcher(line);
                if (m.matches()) {
                    changesets.add(new Changeset(unquote(m.group(1)), unquote(m.group(2)), m.group(3), lineNumber,
                            offset));
                } else if (INCLUDE.matcher(line).matches()) {
                    throw ImportFiles.invalid(changelog + " line " + lineNumber + " includes other changelogs ("
                            + line + "), which the import does not follow. Import each included formatted SQL"
                            + " changelog in the order Liquibase runs them, into the same migrations folder.");
                } else if (PRECONDITION.matcher(line).matches() && !changesets.isEmpty()) {
                    notices.add(fileName + " line " + lineNumber + ": the precondition of changeset "
                            + key(changesets.get(changesets.size() - 1)) + " is kept as a comment and not checked;"
                            + " Tidemark runs every migration that is not applied yet.");
                }
            }
            offset = next;
        }
        if (changesets.isEmpty()) {
            throw ImportFiles.invalid(changelog + " has no '--changeset author:id' line, so there is nothing to"
                    + " import.");
        }
        List<ImportedMigration> migrations = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < changesets.size(); i++) {
            Changeset c = changesets.get(i);
            if (!keys.add(key(c))) {
                throw ImportFiles.invalid(changelog + " line " + c.line() + " repeats changeset " + key(c)
                        + ", which Liquibase refuses too. Give it a new id and import again.");
            }
            attributes(fileName, c, notices);
            int end = i + 1 < changesets.size() ? changesets.get(i + 1).start() : text.length();
            migrations.add(ImportFiles.migration(ImportFiles.sequence(i + 1), c.id(),
                    fileName + " changeset " + c.id() + " by " + c.author(), c.id() + "::" + c.author(),
                    text.substring(c.start(), end)));
        }
        return new ImportPlan(ImportPlan.Tool.LIQUIBASE, changelog.toString(), migrations, notices, null);
    }

    private static void attributes(String file, Changeset c, List<String> notices) {
        Matcher m = ATTRIBUTE.matcher(c.attributes());
        while (m.find()) {
            String name = m.group(1).toLowerCase(Locale.ROOT);
            String value = unquote(m.group(2));
            String where = file + " line " + c.line() + " (changeset " + key(c) + "): ";
            switch (name) {
                case "runalways", "runonchange" -> {
                    if (value.equalsIgnoreCase("true")) {
                        notices.add(where + m.group(1) + ":true is not supported: Tidemark runs a migration once."
                                + " When you change it, put the change in a new migration ('tidemark create').");
                    }
                }
                case "enddelimiter" -> notices.add(where + "endDelimiter:" + value + " is not used: Tidemark splits"
                        + " statements by PostgreSQL's own rules (dollar quotes, BEGIN ATOMIC). If the changeset ends"
                        + " statements with anything but ';', change them to ';'.");
                case "context", "contextfilter", "labels", "dbms" -> notices.add(where + m.group(1) + ":" + value
                        + " is not applied: every changeset is converted. Delete the directories of changesets that"
                        + " must not run here.");
                case "failonerror" -> {
                    if (value.equalsIgnoreCase("false")) {
                        notices.add(where + "failOnError:false is not supported: a failing migration stops the"
                                + " deploy.");
                    }
                }
                case "runintransaction" -> {
                    if (value.equalsIgnoreCase("false")) {
                        notices.add(where + "runInTransaction:false: Tidemark runs it without a transaction only if"
                                + " a statement needs that; to force it, add '-- tidemark:transaction=none' as the"
                                + " first line of its migration.sql.");
                    }
                }
                default -> {
                    // splitStatements, stripComments, logicalFilePath, ...: nothing changes for Tidemark
                }
            }
        }
    }

    private static String key(Changeset c) {
        return c.id() + "::" + c.author();
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1) : value;
    }
}
