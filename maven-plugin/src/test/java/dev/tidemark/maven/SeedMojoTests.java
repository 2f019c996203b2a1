package dev.tidemark.maven;

import org.apache.maven.model.Resource;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The seed goal's default file: seed.sql next to the migrations folder (the IT rollback-seed runs one). */
class SeedMojoTests {

    @Test
    void theDefaultIsSeedSqlNextToAFolderLocation(@TempDir Path dir) throws Exception {
        Path migrations = Files.createDirectories(dir.resolve("prisma/migrations"));
        SeedMojo mojo = new SeedMojo();
        mojo.location = migrations.toString();
        assertThatThrownBy(mojo::defaultSeed).isInstanceOf(MojoExecutionException.class)
                .hasMessageContaining(dir.resolve("prisma/seed.sql") + ", next to the migrations folder, does not"
                        + " exist")
                .hasMessageContaining("-Dtidemark.seed=FILE");
        Files.writeString(dir.resolve("prisma/seed.sql"), "SELECT 1;");
        assertThat(mojo.defaultSeed()).isEqualTo(dir.resolve("prisma/seed.sql").toString());
    }

    @Test
    void aClasspathLocationLooksForSeedSqlInTheResourceDirectories(@TempDir Path dir) throws Exception {
        SeedMojo mojo = new SeedMojo();
        mojo.location = "classpath:db/migrations";
        mojo.project = new MavenProject();
        mojo.project.setFile(dir.resolve("pom.xml").toFile());
        Resource resources = new Resource();
        resources.setDirectory("src/main/resources");
        mojo.project.addResource(resources);
        Files.createDirectories(dir.resolve("src/main/resources/db/migrations"));
        assertThatThrownBy(mojo::defaultSeed).isInstanceOf(MojoExecutionException.class)
                .hasMessageContaining("classpath:db/seed.sql (in the project's resource directories)");
        Files.writeString(dir.resolve("src/main/resources/db/seed.sql"), "SELECT 1;");
        assertThat(mojo.defaultSeed()).isEqualTo("classpath:db/seed.sql");
    }
}
