package dev.tidemark.internal.history;

import dev.tidemark.testdb.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** The history's timestamps as the server writes them in text, in every shape its time zones give them. */
class TimestampTextTests {

    /** Whole-hour, half-hour and quarter-hour offsets, both signs, and zones whose 1900 offset has seconds. */
    static final List<String> ZONES = List.of("UTC", "Asia/Kolkata", "America/St_Johns", "Australia/Eucla",
            "Pacific/Chatham", "America/Sao_Paulo", "Europe/Amsterdam", "Africa/Monrovia", "Asia/Kathmandu");

    static final List<String> VALUES = List.of("2026-12-03 09:04:06.98057+00", "2026-12-03 09:04:06+00",
            "2026-06-30 23:59:59.999999+00", "2026-12-03 09:04:06.5+00", "2024-02-29 12:00:00.000001+00",
            "1900-01-01 00:00:00+00", "1970-01-01 00:00:00+00", "0001-01-02 00:00:00+00",
            "9999-12-30 12:00:00.123456+00");

    /** Beyond what the fast path reads (the last two are BC west of Greenwich and year 10000 east of it): the driver converts them. */
    static final List<String> DRIVER_VALUES = List.of("10000-01-01 00:00:00+00", "0044-03-15 12:00:00+00 BC",
            "0001-01-01 00:00:00+00", "9999-12-31 12:00:00.123456+00");

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
    void everyTextTheServerSendsReadsAsTheInstantTheServerMeans() throws Exception {
        int read = 0;
        try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
            for (String zone : ZONES) {
                statement.execute("SET TIME ZONE '" + zone + "'");
                for (String value : VALUES) {
                    try (ResultSet rs = statement.executeQuery("SELECT v, extract(epoch FROM v) FROM (SELECT '"
                            + value + "'::timestamptz AS v) t")) {
                        rs.next();
                        byte[] text = rs.getBytes(1);
                        assertThat(TimestampText.parse(text))
                                .as("%s in %s, sent as %s", value, zone, new String(text, StandardCharsets.US_ASCII))
                                .isEqualTo(instant(rs.getBigDecimal(2)));
                        read++;
                    }
                }
            }
        }
        assertThat(read).isEqualTo(ZONES.size() * VALUES.size());
    }

    @Test
    void whatTheFastPathDoesNotReadIsLeftToTheDriver() {
        for (String text : List.of("infinity", "-infinity", "10000-01-01 00:00:00+00", "2026-12-03 09:04:06+00 BC",
                "2026-12-03 09:04:06", "2026-12-03 09:04:06.+00", "2026-12-03 09:04:06+0", "2026-12-03 09:04:06+00:3",
                "2026-13-03 09:04:06+00", "2026-12-03T09:04:06+00", "2026-12-03 09:04:06+00:30:00:00")) {
            assertThat(TimestampText.parse(text.getBytes(StandardCharsets.US_ASCII))).as(text).isNull();
        }
    }

    @Test
    void theHistoryReadGivesEveryTimestampTheServerHolds() throws Exception {
        HistoryTable history = new HistoryTable("public", "_prisma_migrations");
        List<String> values = new ArrayList<>(VALUES);
        values.addAll(DRIVER_VALUES);
        try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
            history.create(connection);
            for (int i = 0; i < values.size(); i++) {
                statement.execute("INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at,"
                        + " finished_at, rolled_back_at) VALUES ('" + i + "', 'c', '" + String.format("m%02d", i)
                        + "', '" + values.get(i) + "', '" + values.get(i) + "'::timestamptz + interval '1 second', '"
                        + values.get(i) + "'::timestamptz + interval '1.5 seconds')");
            }
            for (String zone : List.of("Asia/Kolkata", "Africa/Monrovia", "Pacific/Chatham")) {
                statement.execute("SET TIME ZONE '" + zone + "'");
                List<HistoryRow> rows = history.read(connection).orElseThrow();
                assertThat(readWithBinaryTransfer(history, zone)).as("binary transfer forced by the URL")
                        .isEqualTo(rows);
                assertThat(rows).hasSize(values.size());
                for (HistoryRow row : rows) {
                    try (ResultSet rs = statement.executeQuery("SELECT extract(epoch FROM started_at),"
                            + " extract(epoch FROM finished_at), extract(epoch FROM rolled_back_at)"
                            + " FROM _prisma_migrations WHERE id = '" + row.id() + "'")) {
                        rs.next();
                        assertThat(row.startedAt()).as("%s in %s", row.migrationName(), zone)
                                .isEqualTo(instant(rs.getBigDecimal(1)));
                        assertThat(row.finishedAt()).isEqualTo(instant(rs.getBigDecimal(2)));
                        assertThat(row.rolledBackAt()).isEqualTo(instant(rs.getBigDecimal(3)));
                    }
                }
            }
        }
    }

    /** The history read on a connection whose URL makes pgjdbc take every value in binary (prepareThreshold=-1). */
    private List<HistoryRow> readWithBinaryTransfer(HistoryTable history, String zone) throws Exception {
        Properties properties = new Properties();
        properties.setProperty("user", db.user());
        if (db.password() != null) {
            properties.setProperty("password", db.password());
        }
        properties.setProperty("prepareThreshold", "-1");
        try (Connection binary = DriverManager.getConnection(db.jdbcUrl(), properties);
                Statement statement = binary.createStatement()) {
            statement.execute("SET TIME ZONE '" + zone + "'");
            return history.read(binary).orElseThrow();
        }
    }

    private static Instant instant(BigDecimal epochSeconds) {
        BigDecimal seconds = epochSeconds.setScale(0, java.math.RoundingMode.FLOOR);
        return Instant.ofEpochSecond(seconds.longValueExact(),
                epochSeconds.subtract(seconds).movePointRight(9).intValueExact());
    }
}
