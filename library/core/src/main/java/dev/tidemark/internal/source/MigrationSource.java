package dev.tidemark.internal.source;

import dev.tidemark.ErrorCode;
import dev.tidemark.TidemarkException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Reads a Prisma Migrate migrations folder: {@code <location>/<name>/migration.sql} plus an optional
 * {@code migration_lock.toml}, from the file system or the class path (a directory, a jar, or a Spring Boot fat jar).
 *
 * <p>One scan lists the folder once and reads and hashes every script once; nothing is read again later. A
 * migration's optional {@code down.sql} (its rollback script, not part of its checksum) is read in the same pass; a
 * separate down directory ({@code <migration>.sql} or {@code rollback_<timestamp>.sql} files), when configured, is
 * listed once more. {@link #scanScripts()} skips both, for the commands that never run a down script.
 */
public final class MigrationSource {

    public static final String CLASSPATH_PREFIX = "classpath:";
    static final String SCRIPT = "migration.sql";
    static final String LOCK_FILE = "migration_lock.toml";
    private static final long MAX_SCRIPT_BYTES = Integer.MAX_VALUE - 8;
    private static final int READ_CHUNK_BYTES = 1 << 20;
    /** A migration's rollback script, beside its {@code migration.sql}. */
    public static final String DOWN_SCRIPT = "down.sql";

    private final String location;
    private final ClassLoader classLoader;
    private final String downLocation;
    /** Whether the scans read the folder once and return that result ever after (see {@link #scannedOnce}). */
    private final boolean once;
    private volatile List<LocalMigration> scanned;
    /** {@link #scanScripts()}'s result when {@link #once}; {@link #scanned} serves it too when already read. */
    private volatile List<LocalMigration> scannedScripts;

    public MigrationSource(String location, ClassLoader classLoader) {
        this(location, classLoader, null);
    }

    /** With {@code downLocation}, down scripts are also read from that directory (see {@link DownDirectory}). */
    public MigrationSource(String location, ClassLoader classLoader, String downLocation) {
        this(location, classLoader, downLocation, false);
    }

    private MigrationSource(String location, ClassLoader classLoader, String downLocation, boolean once) {
        this.location = location;
        this.classLoader = classLoader;
        this.downLocation = downLocation;
        this.once = once;
    }

    /**
     * The same folder, read at the first {@link #scan()} only: for a fleet, whose targets all deploy the same folder
     * within one run (the result is immutable, so the targets' threads share it). A failed scan is not kept: the
     * next call reads again and fails the same way.
     */
    public MigrationSource scannedOnce() {
        return new MigrationSource(location, classLoader, downLocation, true);
    }

    public String location() {
        return location;
    }

    /** Scans the folder, returning its migrations in apply order (lexicographic order of directory names). */
    public List<LocalMigration> scan() {
        return once ? readOnce(true) : read(true);
    }

    /**
     * Like {@link #scan()}, without the down scripts ({@link LocalMigration#down()} is null): what deploy and status
     * need. Most folders have no down scripts, yet looking for one costs a file-system call per migration, which
     * every no-op deploy would pay.
     */
    public List<LocalMigration> scanScripts() {
        return once ? readOnce(false) : read(false);
    }

    /** The folder read once for this source; a full scan also serves {@link #scanScripts()}. */
    private List<LocalMigration> readOnce(boolean withDowns) {
        List<LocalMigration> result = scanned;
        if (result == null && !withDowns) {
            result = scannedScripts;
        }
        if (result != null) {
            return result;
        }
        synchronized (this) {
            if (withDowns) {
                if (scanned == null) {
                    scanned = read(true);
                }
                return scanned;
            }
            if (scanned == null && scannedScripts == null) {
                scannedScripts = read(false);
            }
            return scanned != null ? scanned : scannedScripts;
        }
    }

    private List<LocalMigration> read(boolean withDowns) {
        Map<String, byte[]> scripts = new TreeMap<>();
        Map<String, byte[]> downs = withDowns ? new TreeMap<>() : null;
        byte[] lockFile;
        if (location.startsWith(CLASSPATH_PREFIX)) {
            lockFile = scanClasspath(stripSlashes(location.substring(CLASSPATH_PREFIX.length())), scripts, downs);
        } else {
            lockFile = scanDirectory(Path.of(location), scripts, downs);
        }
        if (lockFile != null) {
            checkLockFile(new String(lockFile, StandardCharsets.UTF_8));
        }
        List<LocalMigration> migrations = new ArrayList<>(scripts.size());
        MessageDigest digest = Checksums.newDigest();
        for (Map.Entry<String, byte[]> entry : scripts.entrySet()) {
            String name = entry.getKey();
            byte[] bytes = entry.getValue();
            if (bytes == null) {
                throw new TidemarkException(ErrorCode.MIGRATIONS_INVALID, "The migration directory '" + name
                        + "' in " + location + " has no " + SCRIPT + ". Every directory in the migrations folder must"
                        + " hold exactly one " + SCRIPT + ": add the script, or move the directory out of the folder.");
            }
            String file = describe(name);
            entry.setValue(null); // from here on the text is the only copy
            try {
                boolean bom = hasByteOrderMark(bytes);
                byte[] down = downs == null ? null : downs.get(name);
                String downFile = down == null ? null : describe(name, DOWN_SCRIPT);
                migrations.add(new LocalMigration(name, file, decode(bytes, bom, file), Checksums.sha256(digest, bytes),
                        bom, downFile, down == null ? null : decode(down, hasByteOrderMark(down), downFile)));
            } catch (OutOfMemoryError e) {
                throw tooLarge(file, bytes.length, e);
            }
        }
        if (withDowns && downLocation != null) {
            return Collections.unmodifiableList(new DownDirectory(Path.of(downLocation)).attach(migrations));
        }
        return Collections.unmodifiableList(migrations);
    }

    /** Decodes a script read from somewhere else (a down directory) as strictly as the folder's own scripts. */
    static String decodeScript(byte[] bytes, String file) {
        return decode(bytes, hasByteOrderMark(bytes), file);
    }

    private String describe(String name) {
        return describe(name, SCRIPT);
    }

    private String describe(String name, String fileName) {
        return (location.endsWith("/") ? location : location + "/") + name + "/" + fileName;
    }

    private byte[] scanDirectory(Path root, Map<String, byte[]> scripts, Map<String, byte[]> downs) {
        if (!Files.isDirectory(root)) {
            throw notFound(Files.exists(root) ? "is not a directory" : "does not exist");
        }
        byte[] lockFile = null;
        try (Stream<Path> children = Files.list(root)) {
            for (Path child : (Iterable<Path>) children::iterator) {
                String name = child.getFileName().toString();
                if (isIgnored(name)) {
                    continue;
                }
                if (name.equals(LOCK_FILE)) {
                    lockFile = Files.isRegularFile(child) ? Files.readAllBytes(child) : null;
                    continue;
                }
                Path script = child.resolve(SCRIPT);
                // Read without asking whether the child is a directory holding a script: a stat per migration costs
                // about as much as the read, on every no-op deploy. Only a failed read asks what the child is.
                try {
                    scripts.put(name, readFile(script));
                } catch (OutOfMemoryError e) {
                    throw tooLarge(describe(name), Files.size(script), e);
                } catch (IOException e) {
                    if (!Files.isDirectory(child)) {
                        continue; // a file beside the migrations (a README), whose "script" is not a directory's
                    }
                    if (e instanceof NoSuchFileException) {
                        scripts.put(name, null);
                        continue;
                    }
                    if (Files.isDirectory(script)) {
                        throw new TidemarkException(ErrorCode.MIGRATIONS_INVALID, "In the migration '" + name
                                + "', " + describe(name) + " is a directory, not a file. Each migration directory"
                                + " holds its SQL in a file named " + SCRIPT + ": move the SQL into such a file, or"
                                + " move the directory out of the migrations folder.");
                    }
                    throw new TidemarkException(ErrorCode.MIGRATIONS_INVALID, "Could not read " + describe(name)
                            + ", the script of the migration '" + name + "': " + e + ". Check that the file is"
                            + " readable by the user running Tidemark.", e);
                }
                if (downs == null) {
                    continue;
                }
                // Most migrations have no down.sql: ask the file system (no exception) rather than catch a
                // NoSuchFileException per migration, whose stack trace costs more than reading the script.
                Path down = child.resolve(DOWN_SCRIPT);
                try {
                    if (Files.exists(down)) {
                        downs.put(name, Files.readAllBytes(down));
                    }
                } catch (IOException e) {
                    throw new TidemarkException(ErrorCode.MIGRATIONS_INVALID, "Could not read "
                            + describe(name, DOWN_SCRIPT) + ", the rollback script of the migration '" + name + "': "
                            + e + ". Check that it is a file readable by the user running Tidemark.", e);
                }
            }
            return lockFile;
        } catch (IOException e) {
            throw new TidemarkException(ErrorCode.MIGRATIONS_INVALID, "Could not read the migrations folder "
                    + location + ": " + e + ". Check that the folder is readable by the user running Tidemark.", e);
        }
    }

    /**
     * A file's bytes as {@link Files#readAllBytes} gives them, in one system call fewer: it reads once more after the
     * file's size to see the end, which is a call per migration on every deploy. Reads take at most 1 MB at a time,
     * because the JDK copies each through a native buffer of the read's size.
     */
    private static byte[] readFile(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file)) {
            long size = channel.size();
            if (size > MAX_SCRIPT_BYTES) {
                throw new OutOfMemoryError("Required array size too large");
            }
            byte[] bytes = new byte[(int) size];
            int read = 0;
            while (read < bytes.length) {
                int n = channel.read(ByteBuffer.wrap(bytes, read, Math.min(bytes.length - read, READ_CHUNK_BYTES)));
                if (n < 0) {
                    return Arrays.copyOf(bytes, read); // it shrank while being read: what it holds now
                }
                read += n;
            }
            return bytes;
        }
    }

    private byte[] scanClasspath(String path, Map<String, byte[]> scripts, Map<String, byte[]> downs) {
        byte[] lockFile = null;
        boolean found = false;
        try {
            Enumeration<URL> roots = classLoader.getResources(path);
            if (!roots.hasMoreElements()) {
                // Jars built without directory entries only resolve files: find the folder through its lock file.
                roots = parents(classLoader.getResources(path + "/" + LOCK_FILE));
            }
            while (roots.hasMoreElements()) {
                URL root = roots.nextElement();
                found = true;
                byte[] lock = "file".equals(root.getProtocol())
                        ? scanDirectory(Path.of(URLDecoder.decode(root.getPath(), StandardCharsets.UTF_8)), scripts,
                                downs)
                        : scanJar(root, scripts, downs);
                if (lock != null) {
                    lockFile = lock;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!found) {
            throw notFound("was not found on the class path");
        }
        return lockFile;
    }

    private static Enumeration<URL> parents(Enumeration<URL> files) throws IOException {
        List<URL> parents = new ArrayList<>();
        while (files.hasMoreElements()) {
            String file = files.nextElement().toString();
            parents.add(new URL(file.substring(0, file.length() - LOCK_FILE.length() - 1)));
        }
        return Collections.enumeration(parents);
    }

    /** Lists a jar directory; works for plain jars and, through their URL handler, Spring Boot's nested jars. */
    private byte[] scanJar(URL root, Map<String, byte[]> scripts, Map<String, byte[]> downs) throws IOException {
        // Open the jar at its root: the folder itself may have no entry of its own. The last "!/" separates the
        // entry from the jar, also in Spring Boot's nested URLs (jar:nested:/app.jar/!BOOT-INF/classes/!/db/...).
        String url = root.toString();
        int separator = url.lastIndexOf("!/");
        URLConnection connection = separator < 0 ? null : new URL(url.substring(0, separator + 2)).openConnection();
        if (!(connection instanceof JarURLConnection jarConnection)) {
            throw new TidemarkException(ErrorCode.MIGRATIONS_INVALID, "Cannot list the migrations at " + root
                    + ": only directories and jar files are supported on the class path.");
        }
        jarConnection.setUseCaches(false);
        String prefix = stripSlashes(URLDecoder.decode(url.substring(separator + 2).replace("+", "%2B"),
                StandardCharsets.UTF_8));
        prefix = prefix.isEmpty() ? "" : prefix + "/";
        byte[] lockFile = null;
        try (JarFile jar = jarConnection.getJarFile()) {
            Enumeration<JarEntry> entries = jar.entries();
            while (entries.hasMoreElements()) {
                JarEntry entry = entries.nextElement();
                String entryName = entry.getName();
                if (!entryName.startsWith(prefix) || entryName.length() == prefix.length()) {
                    continue;
                }
                String relative = entryName.substring(prefix.length());
                int slash = relative.indexOf('/');
                if (slash < 0) {
                    if (relative.equals(LOCK_FILE)) {
                        lockFile = read(jar, entry);
                    }
                    continue;
                }
                String name = relative.substring(0, slash);
                if (isIgnored(name)) {
                    continue;
                }
                String rest = relative.substring(slash + 1);
                if (rest.equals(SCRIPT + "/")) {
                    throw new TidemarkException(ErrorCode.MIGRATIONS_INVALID, "In the migration '" + name + "', "
                            + describe(name) + " (in " + root + ") is a directory, not a file. Each migration"
                            + " directory holds its SQL in a file named " + SCRIPT + ".");
                }
                if (rest.equals(SCRIPT)) {
                    scripts.put(name, read(jar, entry));
                } else if (rest.equals(DOWN_SCRIPT) && downs != null) {
                    downs.put(name, read(jar, entry));
                    scripts.putIfAbsent(name, null);
                } else {
                    scripts.putIfAbsent(name, null);
                }
            }
        }
        return lockFile;
    }

    private static byte[] read(JarFile jar, JarEntry entry) throws IOException {
        try (InputStream in = jar.getInputStream(entry)) {
            return in.readAllBytes();
        }
    }

    /**
     * Prisma reads only the provider line, and refuses any provider but PostgreSQL's. A lock file without one was
     * not written by Prisma or Tidemark (or lost its line in a merge), so which database it is for is unknown.
     */
    private void checkLockFile(String text) {
        boolean found = false;
        for (String raw : text.split("\\R")) {
            String line = raw.strip();
            if (!line.matches("provider\\s*=.*")) {
                continue;
            }
            found = true;
            int eq = line.indexOf('=');
            String value = eq < 0 ? "" : line.substring(eq + 1).strip();
            int hash = value.indexOf('#');
            if (hash >= 0 && !value.startsWith("\"")) {
                value = value.substring(0, hash).strip();
            }
            if (value.length() >= 2 && value.startsWith("\"")) {
                value = value.substring(1, value.indexOf('"', 1) < 0 ? value.length() : value.indexOf('"', 1));
            }
            if (!value.equals("postgresql") && !value.equals("postgres")) {
                throw new TidemarkException(ErrorCode.MIGRATIONS_INVALID, "The migrations in " + location
                        + " were created for the '" + value + "' provider (" + LOCK_FILE + "), but Tidemark migrates"
                        + " PostgreSQL only. Point Tidemark at a PostgreSQL migrations folder; if these migrations"
                        + " really are PostgreSQL's, set provider = \"postgresql\" in " + LOCK_FILE + ".");
            }
        }
        if (!found) {
            throw new TidemarkException(ErrorCode.MIGRATIONS_INVALID, "The lock file " + lockFileName()
                    + " has no provider line, so it does not say which database the migrations are for. Prisma"
                    + " writes provider = \"postgresql\" there: add that line (or delete the file, which Tidemark"
                    + " does not need; creating a migration with Tidemark writes it again).");
        }
    }

    private String lockFileName() {
        return (location.endsWith("/") ? location : location + "/") + LOCK_FILE;
    }

    private static TidemarkException tooLarge(String file, long size, OutOfMemoryError e) {
        return new TidemarkException(ErrorCode.MIGRATIONS_INVALID, file + " (" + size / (1024 * 1024) + " MB) does"
                + " not fit in the Java heap. Give the JVM more memory (for example JAVA_TOOL_OPTIONS=-Xmx512m, or a"
                + " larger container memory limit), or split the script into several migrations.", e);
    }

    private static boolean hasByteOrderMark(byte[] bytes) {
        return bytes.length >= 3 && (bytes[0] & 0xff) == 0xEF && (bytes[1] & 0xff) == 0xBB
                && (bytes[2] & 0xff) == 0xBF;
    }

    /**
     * Strict UTF-8 decoding that holds the text once: it checks the bytes through a small buffer, then builds the
     * String directly (a CharsetDecoder's own result would be a second, UTF-16 copy of a big script).
     */
    private static String decode(byte[] bytes, boolean bom, String file) {
        int offset = bom ? 3 : 0;
        String text = new String(bytes, offset, bytes.length - offset, StandardCharsets.UTF_8);
        if (text.indexOf('\uFFFD') < 0) {
            return text; // the lenient decoder replaces every malformed sequence with U+FFFD: none, so it is valid
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, offset, bytes.length - offset);
        CharBuffer out = CharBuffer.allocate(8192);
        while (true) {
            CoderResult result = decoder.decode(in, out, true);
            if (result.isError()) {
                throw new TidemarkException(ErrorCode.MIGRATIONS_INVALID, file + " is not valid UTF-8 text (at byte "
                        + in.position() + "). Migration scripts must be UTF-8, as Prisma writes them: re-save the file"
                        + " as UTF-8.");
            }
            out.clear();
            if (result.isUnderflow()) {
                break;
            }
        }
        return text; // valid, with a U+FFFD of its own
    }

    private static boolean isIgnored(String name) {
        return name.startsWith(".");
    }

    private static String stripSlashes(String path) {
        int start = 0;
        int end = path.length();
        while (start < end && path.charAt(start) == '/') {
            start++;
        }
        while (end > start && path.charAt(end - 1) == '/') {
            end--;
        }
        return path.substring(start, end);
    }

    private TidemarkException notFound(String what) {
        return new TidemarkException(ErrorCode.MIGRATIONS_NOT_FOUND, "The migrations location '" + location + "' "
                + what + ". Set the location to the folder that holds the migration directories (with Prisma,"
                + " prisma/migrations), or create that folder with a first migration in it.");
    }
}
