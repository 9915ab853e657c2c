package org.transfer4j.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Java user's own Maven project that depends on the installed {@code transfer4j-core}, built offline,
 * runs the README's Java example as written there (from a folder that has the README's
 * {@code examples/}).
 */
class ConsumerProjectIT {

    @Test
    void readmeJavaExampleRunsInAProjectThatDependsOnTheInstalledArtifact(@TempDir Path tmp) throws Exception {
        String version = Checkout.property("transfer4j.version");
        Path repository = Path.of(Checkout.property("transfer4j.localRepository"));
        Path installed = repository.resolve("org/transfer4j/transfer4j-core/" + version
                + "/transfer4j-core-" + version + ".jar");
        assertThat(installed).as("transfer4j-core installed: run mvn install (not verify)").isRegularFile();
        assertThat(sha256(installed)).as("the installed jar is this build's")
                .isEqualTo(sha256(Checkout.root().resolve("transfer4j-core/target/transfer4j.jar")));
        Path sources = installed.resolveSibling("transfer4j-core-" + version + "-sources.jar");
        Path javadoc = installed.resolveSibling("transfer4j-core-" + version + "-javadoc.jar");
        assertThat(sources).isRegularFile();
        assertThat(javadoc).isRegularFile();

        Path project = tmp.resolve("consumer");
        Path main = project.resolve("src/main/java/example/Example.java");
        Files.createDirectories(main.getParent());
        Files.writeString(project.resolve("pom.xml"), pom(version));
        Files.writeString(main, exampleClass(Checkout.readmeBlocks("java").get(0)));
        Files.createSymbolicLink(project.resolve("examples"), Checkout.root().resolve("examples"));

        Map<String, String> env = Map.of("TRANSFER4J_HOME", tmp.resolve("home").toString(), "TRANSFER4J_OFFLINE", "1");
        Checkout.Run build = Checkout.run(project, env, 600, "mvn", "-o", "-B", "-q",
                "-Dmaven.repo.local=" + repository, "package", "dependency:build-classpath",
                "-Dmdep.outputFile=classpath.txt");
        assertThat(build.exitCode()).as(build.output()).isZero();
        String classpath = "target/classes:" + Files.readString(project.resolve("classpath.txt")).strip();
        Checkout.Run run = Checkout.run(project, env, 600, "java", "-Dai.djl.offline=true", "-cp", classpath,
                "example.Example");
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).containsPattern("(?m)^bag 0\\.\\d+");
        assertThat(project.resolve("runs/fashion-mnist/model.onnx")).isRegularFile();
    }

    private static String exampleClass(String readmeBlock) {
        List<String> lines = readmeBlock.lines().toList();
        String imports = lines.stream().filter(l -> l.startsWith("import ")).collect(Collectors.joining("\n"));
        String body = lines.stream().filter(l -> !l.startsWith("import ")).map(l -> "        " + l)
                .collect(Collectors.joining("\n"));
        return "package example;\n\n" + imports + "\n\npublic class Example {\n"
                + "    public static void main(String[] args) throws Exception {\n" + body + "\n    }\n}\n";
    }

    private static String pom(String version) {
        return """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>example</groupId>
                  <artifactId>consumer</artifactId>
                  <version>1</version>
                  <properties>
                    <maven.compiler.release>17</maven.compiler.release>
                    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
                  </properties>
                  <dependencies>
                    <dependency>
                      <groupId>org.transfer4j</groupId>
                      <artifactId>transfer4j-core</artifactId>
                      <version>%s</version>
                    </dependency>
                  </dependencies>
                  <build>
                    <plugins>
                      <plugin>
                        <artifactId>maven-compiler-plugin</artifactId>
                        <version>3.13.0</version>
                      </plugin>
                      <plugin>
                        <artifactId>maven-surefire-plugin</artifactId>
                        <version>3.5.2</version>
                      </plugin>
                      <plugin>
                        <artifactId>maven-jar-plugin</artifactId>
                        <version>3.4.2</version>
                      </plugin>
                      <plugin>
                        <artifactId>maven-dependency-plugin</artifactId>
                        <version>3.8.1</version>
                      </plugin>
                    </plugins>
                  </build>
                </project>
                """.formatted(version);
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
