package io.github.ordersaga.testsupport;

/**
 * Running Pub/Sub and Firestore emulators, as a test sees them. Inject it into a test (method,
 * constructor, {@code @BeforeAll}) of a class annotated with {@link WithEmulators}.
 *
 * <p>The stop/start methods keep the port, so clients configured with {@link #pubsubHost()} or
 * {@link #firestoreHost()} reach the new process once it is back. A started emulator is always
 * empty: topics, subscriptions and documents do not survive a restart.
 */
public interface Emulators {

    /** The project id the tests use; neither emulator checks it. */
    String DEFAULT_PROJECT_ID = "test-project";

    /** {@code 127.0.0.1:port} of the Pub/Sub emulator (the form of {@code PUBSUB_EMULATOR_HOST}). */
    String pubsubHost();

    /** {@code 127.0.0.1:port} of the Firestore emulator (the form of {@code FIRESTORE_EMULATOR_HOST}). */
    String firestoreHost();

    String projectId();

    /** Kills the Pub/Sub emulator; returns once the process is gone and its port is free. */
    void stopPubSub();

    /** Starts the Pub/Sub emulator again on the same port and waits until it is ready. */
    void startPubSub();

    default void restartPubSub() {
        stopPubSub();
        startPubSub();
    }

    /** Kills the Firestore emulator; returns once the process is gone and its port is free. */
    void stopFirestore();

    /** Starts the Firestore emulator again on the same port and waits until it is ready. */
    void startFirestore();

    default void restartFirestore() {
        stopFirestore();
        startFirestore();
    }
}
