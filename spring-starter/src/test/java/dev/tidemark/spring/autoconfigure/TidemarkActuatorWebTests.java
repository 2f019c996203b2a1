package dev.tidemark.spring.autoconfigure;

import dev.tidemark.testdb.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The health indicator and the {@code tidemark} endpoint over HTTP, as an operator or a Kubernetes probe sees them:
 * the JSON Spring Boot's own serialisation produces from Tidemark's records.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.jpa.hibernate.ddl-auto=validate", "management.endpoints.web.exposure.include=health,tidemark",
        "management.endpoint.health.show-details=always"})
class TidemarkActuatorWebTests {

    private static final TestDatabase db = TestDatabase.create(TidemarkActuatorWebTests.class);

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", db::jdbcUrl);
        registry.add("spring.datasource.username", db::user);
        registry.add("spring.datasource.password", () -> db.password() == null ? "" : db.password());
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    @Autowired
    private Environment environment;

    @Test
    void healthComponentIsUpWithDetails() throws Exception {
        HttpResponse<String> response = get("/actuator/health/tidemark");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"status\":\"UP\"", "\"applied\":2", "\"schema\":\"public\"");
    }

    @Test
    void endpointServesMigrationsAsJson() throws Exception {
        HttpResponse<String> response = get("/actuator/tidemark");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"tidemarkMigrator\"", "\"name\":\"20250101090000_create_book\"",
                "\"state\":\"APPLIED\"", "\"action\":\"deploy\"", "\"outcome\":\"success\"", "\"durationMillis\":");
        // Instants are ISO-8601 strings, not arrays or epoch numbers.
        assertThat(response.body()).containsPattern("\"finishedAt\":\"\\d{4}-\\d{2}-\\d{2}T");
    }

    @Test
    void endpointFieldNamesAreTheOnesTheCliPrintsInItsJson() throws Exception {
        String body = get("/actuator/tidemark").body();
        // The same names as 'tidemark status --output json' (CliOutputIntegrationTests.ENDPOINT_MIGRATION_FIELDS):
        // one spelling of each, durationMillis everywhere.
        for (String field : List.of("name", "state", "checksum", "startedAt", "finishedAt", "durationMillis",
                "appliedStepsCount", "logs")) {
            assertThat(body).as(field).contains("\"" + field + "\":");
        }
        assertThat(body).doesNotContain("\"durationMs\"", "\"duration\":");
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        URI uri = URI.create("http://127.0.0.1:" + environment.getProperty("local.server.port") + path);
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        return client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class WebApplication {
    }
}
