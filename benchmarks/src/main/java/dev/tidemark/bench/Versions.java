package dev.tidemark.bench;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Library versions as their jars record them (Maven's pom.properties). */
final class Versions {

    private Versions() {
    }

    static String of(String groupId, String artifactId) {
        String resource = "/META-INF/maven/" + groupId + "/" + artifactId + "/pom.properties";
        try (InputStream in = Versions.class.getResourceAsStream(resource)) {
            if (in == null) {
                return "unknown";
            }
            Properties props = new Properties();
            props.load(in);
            return props.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
