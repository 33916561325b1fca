package io.github.ordersaga.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where the Pub/Sub and Firestore emulator jars are.
 *
 * <p>Each jar is looked up in this order; the first hit wins:
 * <ol>
 *   <li>an explicit file: system property {@code pubsub.emulator.jar} / {@code firestore.emulator.jar},
 *       then env {@code PUBSUB_EMULATOR_JAR} / {@code FIRESTORE_EMULATOR_JAR};</li>
 *   <li>env {@code EMULATORS_DIR}: a folder holding {@code cloud-pubsub-emulator-*-all.jar} and
 *       {@code cloud-firestore-emulator.jar};</li>
 *   <li>the Google Cloud CLI install: {@code CLOUDSDK_ROOT_DIR}, {@value #DEBIAN_SDK_ROOT}, or the
 *       SDK that {@code gcloud} on {@code PATH} belongs to.</li>
 * </ol>
 * An explicit setting that points at nothing is an error, not a reason to fall back: a typo
 * should not silently pick another emulator version.
 */
public record EmulatorJars(Path pubsub, Path firestore) {

    /** Where the Debian packages google-cloud-cli-*-emulator install the SDK. */
    static final String DEBIAN_SDK_ROOT = "/usr/lib/google-cloud-sdk";

    static final String PUBSUB_PATTERN = "cloud-pubsub-emulator-*-all.jar";
    static final String FIRESTORE_NAME = "cloud-firestore-emulator.jar";

    private static final Pattern PUBSUB_NAME = Pattern.compile("cloud-pubsub-emulator-(.+)-all\\.jar");

    static final String INSTALL_HINT = "Install the Google Cloud CLI emulator components (Debian packages "
            + "google-cloud-cli-pubsub-emulator and google-cloud-cli-firestore-emulator), or set EMULATORS_DIR "
            + "to a folder holding " + PUBSUB_PATTERN + " and " + FIRESTORE_NAME
            + ", or PUBSUB_EMULATOR_JAR / FIRESTORE_EMULATOR_JAR to the jars themselves.";

    /** Looks the jars up with this JVM's environment and system properties. */
    public static EmulatorJars locate() {
        return locate(System.getenv(), System.getProperties()::getProperty);
    }

    /** Looks the jars up with the given environment and system properties (tests pass fakes). */
    public static EmulatorJars locate(Map<String, String> env, Function<String, String> systemProperties) {
        return locate(env, systemProperties, Path.of(DEBIAN_SDK_ROOT));
    }

    /** As {@link #locate(Map, Function)}, with another standard install folder (tests pass an empty one). */
    static EmulatorJars locate(Map<String, String> env, Function<String, String> systemProperties, Path standardRoot) {
        Lookup lookup = new Lookup(env, systemProperties, standardRoot);
        Path pubsub = lookup.find("Pub/Sub", "pubsub.emulator.jar", "PUBSUB_EMULATOR_JAR",
                EmulatorJars::newestPubSubJar, "platform/pubsub-emulator/lib");
        Path firestore = lookup.find("Firestore", "firestore.emulator.jar", "FIRESTORE_EMULATOR_JAR",
                dir -> existing(dir.resolve(FIRESTORE_NAME)), "platform/cloud-firestore-emulator");
        return new EmulatorJars(pubsub, firestore);
    }

    private record Lookup(Map<String, String> env, Function<String, String> systemProperties, Path standardRoot) {

        Path find(String what, String property, String envVar,
                  Function<Path, Optional<Path>> inFolder, String sdkSubFolder) {
            // 1. An explicit file.
            String explicit = blankToNull(systemProperties.apply(property));
            String explicitSource = "system property " + property;
            if (explicit == null) {
                explicit = blankToNull(env.get(envVar));
                explicitSource = envVar;
            }
            if (explicit != null) {
                Path jar = Path.of(explicit);
                if (!Files.isRegularFile(jar)) {
                    throw new IllegalStateException(explicitSource + "=" + explicit + " does not point at the "
                            + what + " emulator jar: no such file. " + INSTALL_HINT);
                }
                return jar;
            }

            List<String> searched = new ArrayList<>();
            searched.add("system property " + property + " and env " + envVar + ": not set");

            // 2. A folder holding both jars.
            String emulatorsDir = blankToNull(env.get("EMULATORS_DIR"));
            if (emulatorsDir != null) {
                Path dir = Path.of(emulatorsDir);
                return inFolder.apply(dir).orElseThrow(() -> new IllegalStateException(
                        "EMULATORS_DIR=" + emulatorsDir + " holds no " + what + " emulator jar ("
                                + (what.equals("Pub/Sub") ? PUBSUB_PATTERN : FIRESTORE_NAME) + "). "
                                + INSTALL_HINT));
            }
            searched.add("env EMULATORS_DIR: not set");

            // 3. The Google Cloud CLI install.
            for (SdkRoot root : sdkRoots(searched)) {
                Path dir = root.path().resolve(sdkSubFolder);
                Optional<Path> jar = inFolder.apply(dir);
                if (jar.isPresent()) {
                    return jar.get();
                }
                searched.add(root.source() + ": nothing in " + dir);
            }
            throw new IllegalStateException("Cannot find the " + what + " emulator jar. Searched:\n  - "
                    + String.join("\n  - ", searched) + "\n" + INSTALL_HINT);
        }

        private List<SdkRoot> sdkRoots(List<String> searched) {
            List<SdkRoot> roots = new ArrayList<>();
            String configured = blankToNull(env.get("CLOUDSDK_ROOT_DIR"));
            if (configured != null) {
                roots.add(new SdkRoot(Path.of(configured), "CLOUDSDK_ROOT_DIR=" + configured));
            } else {
                searched.add("env CLOUDSDK_ROOT_DIR: not set");
            }
            roots.add(new SdkRoot(standardRoot, "the standard install " + standardRoot));
            Optional<Path> gcloud = gcloudOnPath();
            if (gcloud.isPresent()) {
                // <sdk>/bin/gcloud, usually reached through a symlink such as /usr/bin/gcloud.
                Path sdk = gcloud.get().getParent().getParent();
                roots.add(new SdkRoot(sdk, "gcloud on PATH (" + gcloud.get() + ")"));
            } else {
                searched.add("gcloud on PATH: not found");
            }
            return roots;
        }

        private Optional<Path> gcloudOnPath() {
            String path = env.getOrDefault("PATH", "");
            for (String entry : path.split(java.io.File.pathSeparator)) {
                if (entry.isBlank()) {
                    continue;
                }
                Path candidate = Path.of(entry, "gcloud");
                if (Files.isExecutable(candidate)) {
                    try {
                        Path real = candidate.toRealPath();
                        if (real.getParent() != null && real.getParent().getParent() != null) {
                            return Optional.of(real);
                        }
                    } catch (IOException e) {
                        // A dangling link: try the next PATH entry.
                    }
                }
            }
            return Optional.empty();
        }
    }

    private record SdkRoot(Path path, String source) {
    }

    /** The Pub/Sub jar's name carries its version; if several are there, take the newest. */
    static Optional<Path> newestPubSubJar(Path dir) {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> PUBSUB_NAME.matcher(f.getFileName().toString()).matches())
                    .max(Comparator.comparing(EmulatorJars::versionOf, EmulatorJars::compareVersions));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String versionOf(Path jar) {
        Matcher m = PUBSUB_NAME.matcher(jar.getFileName().toString());
        return m.matches() ? m.group(1) : "";
    }

    /** Compares dotted versions numerically, so 0.8.20 is newer than 0.8.9. */
    static int compareVersions(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            String p = i < x.length ? x[i] : "0";
            String q = i < y.length ? y[i] : "0";
            int c = p.matches("\\d+") && q.matches("\\d+")
                    ? Long.compare(Long.parseLong(p), Long.parseLong(q))
                    : p.compareTo(q);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static Optional<Path> existing(Path file) {
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
