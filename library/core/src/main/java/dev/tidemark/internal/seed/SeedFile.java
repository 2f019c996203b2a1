package dev.tidemark.internal.seed;

import dev.tidemark.ErrorCode;
import dev.tidemark.TidemarkException;
import dev.tidemark.internal.source.Checksums;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A seed script: a file-system path (optionally {@code file:PATH}), or {@code classpath:db/seed.sql}. Read when used, so an edit is picked up by the
 * next {@code seed()} or reset.
 */
public record SeedFile(String location, String script) {

    private static final String CLASSPATH = "classpath:";

    public static SeedFile read(String location, ClassLoader classLoader) {
        byte[] bytes;
        try {
            if (location.startsWith(CLASSPATH)) {
                String resource = location.substring(CLASSPATH.length()).replaceFirst("^/+", "");
                try (InputStream in = classLoader.getResourceAsStream(resource)) {
                    if (in == null) {
                        throw missing(location);
                    }
                    bytes = in.readAllBytes();
                }
            } else {
                bytes = Files.readAllBytes(Path.of(location.startsWith("file:") ? location.substring(5) : location));
            }
        } catch (NoSuchFileException e) {
            throw missing(location);
        } catch (IOException e) {
            throw new TidemarkException(ErrorCode.CONFIGURATION_INVALID, "Could not read the seed file " + location
                    + ": " + e + ".", e);
        }
        String script = new String(bytes, StandardCharsets.UTF_8);
        return new SeedFile(location, script.startsWith("\uFEFF") ? script.substring(1) : script);
    }

    /** The script's SHA-256, part of the fast-reset fingerprint so that an edited seed file is seeded again. */
    public String checksum() {
        return Checksums.sha256(script.getBytes(StandardCharsets.UTF_8));
    }

    private static TidemarkException missing(String location) {
        return new TidemarkException(ErrorCode.CONFIGURATION_INVALID, "The seed file " + location + " does not"
                + " exist. Create it, or set the seed setting to the file that holds your seed SQL (a path, or"
                + " classpath:db/seed.sql); leave the setting unset for no seeding.");
    }
}
