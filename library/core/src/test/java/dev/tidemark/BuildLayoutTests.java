package dev.tidemark;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@code ./mvnw install} publishes, read from the poms: the BOM names exactly the modules that publish (those
 * that make sources and javadoc jars), and the poms that cannot inherit the version repeat the right one.
 */
class BuildLayoutTests {

    private static final Path ROOT = root();

    @Test
    void bomManagesExactlyThePublishedModulesAtTheBuildsVersion() throws Exception {
        String version = text(pom(ROOT.resolve("pom.xml")), "version");
        Document bom = pom(ROOT.resolve("bom/pom.xml"));
        assertThat(text(bom, "version")).isEqualTo(version);
        assertThat(bom.getDocumentElement().getElementsByTagName("parent").getLength())
                .as("the BOM has no parent, so that importing it imports no third-party versions").isZero();

        List<String> managed = new ArrayList<>();
        NodeList dependencies = bom.getElementsByTagName("dependency");
        for (int i = 0; i < dependencies.getLength(); i++) {
            Element dependency = (Element) dependencies.item(i);
            assertThat(child(dependency, "version")).isEqualTo("${project.version}");
            managed.add(child(dependency, "artifactId"));
        }

        List<String> published = new ArrayList<>();
        for (Path pom : modulePoms()) {
            Document module = pom(pom);
            Node docsSkip = first(module, "tidemark.docs.skip");
            if (docsSkip != null && docsSkip.getTextContent().strip().equals("false")) {
                published.add(text(module, "artifactId"));
            }
        }
        assertThat(published).containsExactlyInAnyOrder("tidemark-core", "tidemark-test-database", "tidemark-junit",
                "tidemark-spring-boot-starter", "tidemark-cli", "tidemark-maven-plugin");
        assertThat(managed).containsExactlyInAnyOrderElementsOf(published);
    }

    @Test
    void springBootUserProjectsUseThisBuildsVersion() throws Exception {
        String version = text(pom(ROOT.resolve("pom.xml")), "version");
        for (String project : List.of("samples/spring-boot-user/pom.xml", "samples/spring-boot-user/boot35/pom.xml")) {
            Document pom = pom(ROOT.resolve(project));
            assertThat(text(pom, "version")).as(project).isEqualTo(version);
            assertThat(first(pom, "tidemark.version").getTextContent().strip()).as(project).isEqualTo(version);
            assertThat(child((Element) first(pom, "parent"), "artifactId")).as(project)
                    .isEqualTo("spring-boot-starter-parent");
        }
    }

    private static List<Path> modulePoms() throws Exception {
        try (Stream<Path> files = Files.walk(ROOT, 4)) {
            return files.filter(p -> p.getFileName().toString().equals("pom.xml"))
                    .filter(p -> !ROOT.relativize(p).toString().contains("target"))
                    .toList();
        }
    }

    private static Document pom(Path file) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(file.toFile());
    }

    /** The project's own element (a direct child of {@code <project>}), not a parent's or a dependency's. */
    private static String text(Document pom, String name) {
        return child(pom.getDocumentElement(), name);
    }

    private static String child(Element element, String name) {
        for (Node n = element.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e.getTextContent().strip();
            }
        }
        throw new AssertionError("no <" + name + "> in <" + element.getTagName() + ">");
    }

    private static Node first(Document pom, String name) {
        NodeList nodes = pom.getElementsByTagName(name);
        return nodes.getLength() == 0 ? null : nodes.item(0);
    }

    /** The root of the Maven build: the nearest folder above the working directory holding {@code .mvn}. */
    private static Path root() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve(".mvn"))) {
                return dir;
            }
        }
        throw new IllegalStateException("Not inside the repository: no .mvn folder above " + Path.of("")
                .toAbsolutePath());
    }
}
