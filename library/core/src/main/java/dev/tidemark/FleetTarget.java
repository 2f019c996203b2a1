package dev.tidemark;

import java.util.Objects;

/**
 * One target of a {@link Fleet}: a database URL and the schema to migrate in it, under a name that identifies it in
 * results, logs and sharding. The URL may carry a password; {@link #toString()} masks it.
 *
 * @param name             the target's stable name (the shard of a target is a function of its name)
 * @param url              a {@code postgresql://} or {@code jdbc:postgresql:} URL
 * @param schema           the schema, or null for the URL's {@code schema} parameter, else {@code public}
 * @param passwordVariable an environment variable holding the password, or null (then the URL's password, else
 *                         pgjdbc's {@code PGPASSFILE} / {@code ~/.pgpass} lookup)
 * @since 0.2
 */
public record FleetTarget(String name, String url, String schema, String passwordVariable) {

    public FleetTarget {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(url, "url");
        if (name.isBlank()) {
            throw new TidemarkException(ErrorCode.CONFIGURATION_INVALID, "A fleet target has a blank name ("
                    + Redaction.maskUrl(url) + "). Give every target a name, or leave it out to use the URL's.");
        }
    }

    /** A target named after its URL and schema. */
    public static FleetTarget of(String url, String schema) {
        return new FleetTarget(dev.tidemark.internal.fleet.Targets.defaultName(url, schema), url, schema, null);
    }

    @Override
    public String toString() {
        return name + " (" + Redaction.maskUrl(url) + (schema == null ? "" : ", schema " + schema) + ")";
    }
}
