package dev.tidemark.maven;

import dev.tidemark.Migrator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every setting of {@link Migrator.Builder} is a parameter of every goal, named as the builder setting (and the
 * starter's property), with the user property {@code tidemark.<name>}; the defaults the plugin descriptor and the
 * parameters' documentation state are the builder's; and the README's table lists every parameter. Read from the
 * plugin descriptor that maven-plugin-plugin generated (target/classes/META-INF/maven/plugin.xml), so what Maven
 * sees is what is checked. A new builder setting fails this test until it has a parameter (or a reason not to).
 */
class SettingsParityTests {

    /** Builder settings with no parameter, and why. */
    private static final Map<String, String> WITHOUT_PARAMETER = Map.of(
            "dataSource", "a Java object: a build has no DataSource (url, user and password instead)",
            "classLoader", "classpath: locations are looked up in the project's resource directories",
            "listener", "Java objects: a build's deploy logs its events (slowMigrationWarning is a parameter)",
            "allowReset", "the reset goal's force parameter plus the environment variable TIDEMARK_ALLOW_RESET");

    /** The goals, each a mojo of the descriptor. */
    private static final List<String> GOALS = List.of("deploy", "status", "validate", "create", "drift", "diff",
            "reset", "lint", "plan", "rollback", "seed", "verify-down");

    private static Map<String, Element> mojos;

    @BeforeAll
    static void readDescriptor() throws Exception {
        Path classes = Path.of(TidemarkMojo.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document descriptor = factory.newDocumentBuilder()
                .parse(classes.resolve("META-INF/maven/plugin.xml").toFile());
        mojos = new LinkedHashMap<>();
        NodeList list = descriptor.getElementsByTagName("mojo");
        for (int i = 0; i < list.getLength(); i++) {
            Element mojo = (Element) list.item(i);
            mojos.put(child(mojo, "goal").getTextContent(), mojo);
        }
    }

    @Test
    void theGoalsAreThoseTheReadmeNames() {
        assertThat(mojos.keySet()).containsExactlyInAnyOrderElementsOf(GOALS);
    }

    @Test
    void everyBuilderSettingIsAParameterOfEveryGoalWithItsUserProperty() {
        Set<String> settings = Arrays.stream(Migrator.Builder.class.getDeclaredMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers()) && m.getReturnType() == Migrator.Builder.class)
                .map(Method::getName)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(settings).containsAll(new HashSet<>(WITHOUT_PARAMETER.keySet()));
        settings.removeAll(WITHOUT_PARAMETER.keySet());
        for (Map.Entry<String, Element> mojo : mojos.entrySet()) {
            Map<String, String> properties = userProperties(mojo.getValue());
            for (String setting : settings) {
                assertThat(properties).as("goal " + mojo.getKey() + ", builder setting " + setting)
                        .containsEntry(setting, "tidemark." + setting);
            }
        }
    }

    /** Builder settings whose starter property has another name: the starter takes a list of one folder. */
    private static final Map<String, String> STARTER_RENAMED = Map.of("location", "locations");

    /** Builder settings the starter has no property for (its own SettingsParityTests says why). */
    private static final Set<String> NOT_IN_STARTER = Set.of("downLocation");

    @Test
    void theParametersOfTheBuilderSettingsAreNamedAsTheStartersProperties() throws Exception {
        Path properties = repositoryRoot().resolve(
                "spring-starter/src/main/java/dev/tidemark/spring/autoconfigure/TidemarkProperties.java");
        Matcher field = Pattern.compile("(?m)^    private [\\w<>, ]+ (\\w+)\\s*[;=]")
                .matcher(Files.readString(properties, StandardCharsets.UTF_8));
        Set<String> starter = new TreeSet<>();
        while (field.find()) {
            starter.add(field.group(1));
        }
        assertThat(starter).as("the starter's fields").contains("url", "lockWait");
        Set<String> parameters = userProperties(mojos.get("deploy")).keySet();
        Set<String> settings = Arrays.stream(Migrator.Builder.class.getDeclaredMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers()) && m.getReturnType() == Migrator.Builder.class)
                .map(Method::getName)
                .filter(name -> !WITHOUT_PARAMETER.containsKey(name))
                .collect(Collectors.toCollection(TreeSet::new));
        for (String setting : settings) {
            assertThat(parameters).contains(setting);
            if (NOT_IN_STARTER.contains(setting)) {
                continue;
            }
            assertThat(starter).as("the starter's property for " + setting)
                    .contains(STARTER_RENAMED.getOrDefault(setting, setting));
        }
    }

    @Test
    void everyParameterHasTheUserPropertyOfItsName() {
        for (Map.Entry<String, Element> mojo : mojos.entrySet()) {
            userProperties(mojo.getValue()).forEach((name, property) ->
                    assertThat(property).as("goal " + mojo.getKey() + ", parameter " + name)
                            .isEqualTo("tidemark." + name));
        }
    }

    @Test
    void theDefaultsAreTheBuilders() {
        Map<String, Duration> durations = Map.of(
                "lockWait", Migrator.Builder.DEFAULT_LOCK_WAIT,
                "connectWait", Migrator.Builder.DEFAULT_CONNECT_WAIT,
                "lockTimeout", Migrator.Builder.DEFAULT_LOCK_TIMEOUT,
                "statementTimeout", Migrator.Builder.DEFAULT_STATEMENT_TIMEOUT,
                "lockRetryBudget", Migrator.Builder.DEFAULT_LOCK_RETRY_BUDGET);
        Pattern stated = Pattern.compile("\\(default ([0-9]+(?:ms|s|m|h))");
        for (Map.Entry<String, Element> mojo : mojos.entrySet()) {
            Map<String, String> defaults = defaultValues(mojo.getValue());
            assertThat(defaults).as(mojo.getKey())
                    .containsEntry("location", Migrator.Builder.DEFAULT_LOCATION)
                    .containsEntry("historyTable", Migrator.Builder.DEFAULT_HISTORY_TABLE);
            durations.forEach((name, value) -> {
                // no default in the descriptor: an unset duration leaves the builder's own default
                assertThat(defaults).as(mojo.getKey() + " " + name).doesNotContainKey(name);
                Matcher matcher = stated.matcher(description(mojo.getValue(), name));
                assertThat(matcher.find()).as(name + " states its default").isTrue();
                assertThat(Durations.parse(matcher.group(1))).as(name).isEqualTo(value);
            });
        }
    }

    @Test
    void theReadmeTableListsEveryParameterWithItsUserProperty() throws Exception {
        String readme = Files.readString(readme(), StandardCharsets.UTF_8);
        int start = readme.indexOf("## Maven plugin");
        assertThat(start).as("the README's Maven plugin section").isNotNegative();
        String section = readme.substring(start, readme.indexOf("\n## ", start + 1));
        for (Map.Entry<String, Element> mojo : mojos.entrySet()) {
            assertThat(section).as("goal " + mojo.getKey()).contains("`tidemark:" + mojo.getKey() + "`");
            userProperties(mojo.getValue()).forEach((name, property) ->
                    assertThat(section).as("parameter " + name).contains("| `" + name + "` | `" + property + "` |"));
        }
    }

    /** Parameter name → user property ({@code ${tidemark.x}} in the mojo's configuration), for editable ones. */
    private static Map<String, String> userProperties(Element mojo) {
        Map<String, String> properties = new LinkedHashMap<>();
        Element configuration = child(mojo, "configuration");
        for (Node n = configuration.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTextContent().startsWith("${tidemark.")) {
                String text = e.getTextContent();
                properties.put(e.getTagName(), text.substring(2, text.length() - 1));
            }
        }
        return properties;
    }

    private static Map<String, String> defaultValues(Element mojo) {
        Map<String, String> defaults = new LinkedHashMap<>();
        Element configuration = child(mojo, "configuration");
        for (Node n = configuration.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.hasAttribute("default-value")) {
                defaults.put(e.getTagName(), e.getAttribute("default-value"));
            }
        }
        return defaults;
    }

    private static String description(Element mojo, String parameter) {
        NodeList parameters = child(mojo, "parameters").getElementsByTagName("parameter");
        for (int i = 0; i < parameters.getLength(); i++) {
            Element p = (Element) parameters.item(i);
            if (child(p, "name").getTextContent().equals(parameter)) {
                return child(p, "description").getTextContent();
            }
        }
        throw new AssertionError("no parameter " + parameter);
    }

    private static Element child(Element element, String name) {
        for (Node n = element.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        throw new AssertionError("no <" + name + "> in <" + element.getTagName() + ">");
    }

    private static Path readme() {
        return repositoryRoot().resolve("README.md");
    }

    /** The root of the Maven build: the nearest folder above the working directory holding {@code .mvn}. */
    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve(".mvn"))) {
                return dir;
            }
        }
        throw new IllegalStateException("Not inside the repository: no .mvn folder above " + Path.of("")
                .toAbsolutePath());
    }
}
