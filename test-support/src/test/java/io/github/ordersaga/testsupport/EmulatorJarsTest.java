package io.github.ordersaga.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Jar lookup with fake environments: no process is started here. */
class EmulatorJarsTest {

    private static final Function<String, String> NO_PROPERTIES = key -> null;

    @TempDir
    Path tmp;

    @Test
    void findsTheJarsOnThisMachine() {
        EmulatorJars jars = EmulatorJars.locate();

        assertThat(jars.pubsub()).isRegularFile();
        assertThat(jars.pubsub().getFileName().toString()).matches("cloud-pubsub-emulator-.*-all\\.jar");
        assertThat(jars.firestore()).isRegularFile().hasFileName("cloud-firestore-emulator.jar");
        String emulatorsDir = System.getenv("EMULATORS_DIR");
        if (emulatorsDir != null && !emulatorsDir.isBlank()) {
            assertThat(jars.pubsub().getParent()).isEqualTo(Path.of(emulatorsDir));
            assertThat(jars.firestore().getParent()).isEqualTo(Path.of(emulatorsDir));
        }
    }

    @Test
    void aBogusExplicitJarIsAClearError() {
        Map<String, String> env = Map.of("PUBSUB_EMULATOR_JAR", "/no/such/pubsub.jar");

        assertThatThrownBy(() -> EmulatorJars.locate(env, NO_PROPERTIES))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("PUBSUB_EMULATOR_JAR=/no/such/pubsub.jar")
                .hasMessageContaining("no such file")
                .hasMessageContaining("google-cloud-cli-pubsub-emulator")
                .hasMessageContaining("EMULATORS_DIR");
    }

    @Test
    void explicitJarsWinAndSystemPropertiesWinOverEnv() throws IOException {
        Path pubsub = touch(tmp.resolve("a/my-pubsub.jar"));
        Path firestore = touch(tmp.resolve("b/my-firestore.jar"));
        Map<String, String> env = Map.of(
                "PUBSUB_EMULATOR_JAR", "/no/such/pubsub.jar",
                "FIRESTORE_EMULATOR_JAR", firestore.toString(),
                "EMULATORS_DIR", "/no/such/dir");
        Map<String, String> properties = Map.of("pubsub.emulator.jar", pubsub.toString());

        EmulatorJars jars = EmulatorJars.locate(env, properties::get);

        assertThat(jars).isEqualTo(new EmulatorJars(pubsub, firestore));
    }

    @Test
    void emulatorsDirHoldingBothJarsTakesTheNewestPubSubJar() throws IOException {
        touch(tmp.resolve("cloud-pubsub-emulator-0.8.9-all.jar"));
        Path newest = touch(tmp.resolve("cloud-pubsub-emulator-0.8.20-all.jar"));
        Path firestore = touch(tmp.resolve("cloud-firestore-emulator.jar"));

        EmulatorJars jars = EmulatorJars.locate(Map.of("EMULATORS_DIR", tmp.toString()), NO_PROPERTIES);

        assertThat(jars).isEqualTo(new EmulatorJars(newest, firestore));
    }

    @Test
    void emulatorsDirWithoutAJarIsAClearError() throws IOException {
        touch(tmp.resolve("cloud-pubsub-emulator-0.8.20-all.jar"));

        assertThatThrownBy(() -> EmulatorJars.locate(Map.of("EMULATORS_DIR", tmp.toString()), NO_PROPERTIES))
                .hasMessageContaining("EMULATORS_DIR=" + tmp)
                .hasMessageContaining("cloud-firestore-emulator.jar")
                .hasMessageContaining("google-cloud-cli-firestore-emulator");
    }

    @Test
    void cloudSdkRootDirIsSearched() throws IOException {
        Path pubsub = touch(tmp.resolve("platform/pubsub-emulator/lib/cloud-pubsub-emulator-0.8.20-all.jar"));
        Path firestore = touch(tmp.resolve("platform/cloud-firestore-emulator/cloud-firestore-emulator.jar"));

        EmulatorJars jars = EmulatorJars.locate(Map.of("CLOUDSDK_ROOT_DIR", tmp.toString()), NO_PROPERTIES);

        assertThat(jars).isEqualTo(new EmulatorJars(pubsub, firestore));
    }

    @Test
    void theSdkOfGcloudOnThePathIsSearched() throws IOException {
        Path sdk = tmp.resolve("sdk");
        Path pubsub = touch(sdk.resolve("platform/pubsub-emulator/lib/cloud-pubsub-emulator-0.8.20-all.jar"));
        Path firestore = touch(sdk.resolve("platform/cloud-firestore-emulator/cloud-firestore-emulator.jar"));
        Path gcloud = touch(sdk.resolve("bin/gcloud"));
        gcloud.toFile().setExecutable(true);
        Path bin = Files.createDirectories(tmp.resolve("usr-bin"));
        Files.createSymbolicLink(bin.resolve("gcloud"), gcloud);

        EmulatorJars jars = EmulatorJars.locate(Map.of("PATH", bin.toString()), NO_PROPERTIES, tmp.resolve("no-standard-install"));

        assertThat(jars.pubsub()).isEqualTo(pubsub.toRealPath());
        assertThat(jars.firestore()).isEqualTo(firestore.toRealPath());
    }

    @Test
    void nothingFoundSaysWhatWasSearchedAndHowToInstall() {
        Path standard = tmp.resolve("no-standard-install");

        assertThatThrownBy(() -> EmulatorJars.locate(Map.of("PATH", tmp.toString()), NO_PROPERTIES, standard))
                .hasMessageContaining("Cannot find the Pub/Sub emulator jar")
                .hasMessageContaining("PUBSUB_EMULATOR_JAR")
                .hasMessageContaining("EMULATORS_DIR")
                .hasMessageContaining("CLOUDSDK_ROOT_DIR")
                .hasMessageContaining(standard.toString())
                .hasMessageContaining("gcloud on PATH")
                .hasMessageContaining("google-cloud-cli-pubsub-emulator");
    }

    @Test
    void versionsCompareNumerically() {
        assertThat(EmulatorJars.compareVersions("0.8.20", "0.8.9")).isPositive();
        assertThat(EmulatorJars.compareVersions("0.8.20", "0.8.20")).isZero();
        assertThat(EmulatorJars.compareVersions("0.9", "0.8.20")).isPositive();
    }

    private static Path touch(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.write(file, new byte[0]);
    }
}
