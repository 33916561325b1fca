package io.github.ordersaga.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway's container image, as the build makes it (frontend-gateway's image-check execution of Jib, a tarball,
 * no Docker): the configuration deploy/ relies on. Built on scratch there, as the distroless base needs a registry;
 * bin/deploy builds the same configuration on the distroless base.
 */
class ImageTest {

    private static final Path TARBALL = LocalSystem.ROOT.resolve("frontend-gateway/target/jib-image-check.tar");

    @Test
    void theGatewaysImageRunsItsMainClassAsNonRootOnPort8080WithTheGcpProfileAndAHeapSizedToTheContainer() throws Exception {
        assertThat(TARBALL).exists();
        JsonNode config = new ObjectMapper().readTree(extract("config.json")).get("config");

        List<String> entrypoint = new ArrayList<>();
        config.get("Entrypoint").forEach(part -> entrypoint.add(part.asText()));
        assertThat(entrypoint).startsWith("java").contains("-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError")
                .endsWith("io.github.ordersaga.gateway.GatewayApplication");
        assertThat(config.get("User").asText()).isEqualTo("65532:65532"); // distroless's nonroot
        assertThat(config.get("ExposedPorts").has("8080/tcp")).isTrue();
        List<String> env = new ArrayList<>();
        config.get("Env").forEach(variable -> env.add(variable.asText()));
        assertThat(env).contains("SPRING_PROFILES_ACTIVE=gcp");

        JsonNode manifest = new ObjectMapper().readTree(extract("manifest.json")).get(0);
        assertThat(manifest.get("Layers")).as("dependencies, resources, classes... in layers of their own").hasSizeGreaterThan(3);
    }

    private static byte[] extract(String entry) throws Exception {
        Process tar = new ProcessBuilder("tar", "-xOf", TARBALL.toString(), entry).start();
        byte[] content = tar.getInputStream().readAllBytes();
        assertThat(tar.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(tar.exitValue()).as(new String(tar.getErrorStream().readAllBytes())).isZero();
        return content;
    }
}
