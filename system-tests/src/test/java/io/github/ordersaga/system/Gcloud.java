package io.github.ordersaga.system;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/** gcloud (or a script calling it) pointed at a Pub/Sub emulator, as the README shows, with a config of its own. */
final class Gcloud {

    private Gcloud() {
    }

    static boolean installed() {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (new File(dir, "gcloud").canExecute()) {
                return true;
            }
        }
        return false;
    }

    /** Sets what gcloud needs to talk to the emulator at {@code pubsubHost} in the process about to start. */
    static ProcessBuilder atEmulator(ProcessBuilder builder, String pubsubHost) {
        builder.environment().put("CLOUDSDK_API_ENDPOINT_OVERRIDES_PUBSUB", "http://" + pubsubHost + "/");
        builder.environment().put("CLOUDSDK_CORE_PROJECT", LocalSystem.PROJECT);
        builder.environment().put("CLOUDSDK_CORE_DISABLE_PROMPTS", "1");
        File config = new File("target/gcloud-config");
        config.mkdirs();
        File token = new File(config, "emulator-token"); // the emulator takes any token; gcloud wants one
        try {
            Files.writeString(token.toPath(), "emulator");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        builder.environment().put("CLOUDSDK_CONFIG", config.getAbsolutePath());
        builder.environment().put("CLOUDSDK_AUTH_ACCESS_TOKEN_FILE", token.getAbsolutePath());
        return builder;
    }
}
