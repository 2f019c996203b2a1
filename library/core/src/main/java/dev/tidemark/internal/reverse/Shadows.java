package dev.tidemark.internal.reverse;

import dev.tidemark.internal.jdbc.ConnectionSource;
import dev.tidemark.internal.jdbc.DatabaseUrl;
import dev.tidemark.internal.schema.ShadowDatabase;

import java.time.Duration;
import java.util.function.Supplier;

/** Where down scripts are generated and checked: a temporary database beside the Migrator's, or one given. */
public final class Shadows {

    private Shadows() {
    }

    /** A new shadow database each call: on {@code server}, or in the database at {@code url} when it is not null. */
    public static Supplier<ShadowDatabase> of(ConnectionSource server, String url, String schema) {
        if (url == null) {
            return () -> ShadowDatabase.create(server, schema);
        }
        DatabaseUrl parsed = DatabaseUrl.parse(url);
        return () -> ShadowDatabase.given(ConnectionSource.of(parsed, null, null, Duration.ZERO), schema);
    }
}
