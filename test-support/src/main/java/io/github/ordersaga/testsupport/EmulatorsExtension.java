package io.github.ordersaga.testsupport;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestInstanceFactoryContext;
import org.junit.jupiter.api.extension.TestInstancePreConstructCallback;

/**
 * JUnit 5 extension: starts the Pub/Sub and Firestore emulators once per test class (on free
 * ports), sets the Spring properties below as JVM system properties before any test instance,
 * and so any Spring context, is created, and restores them and stops the emulators after the
 * class, also when it fails. Use {@link WithEmulators} or {@code @ExtendWith(EmulatorsExtension.class)};
 * take an {@link Emulators} parameter to get the hosts or to stop and restart an emulator.
 *
 * <p>Properties set: {@value #PUBSUB_EMULATOR_HOST}, {@value #FIRESTORE_EMULATOR_HOST} (both
 * {@code 127.0.0.1:port}), {@value #PROJECT_ID} and {@value #FIRESTORE_PROJECT_ID} ({@code test-project}).
 *
 * <p>With {@code @SpringBootTest}, also annotate the class with {@code @DirtiesContext}: Spring's
 * test-context cache ignores system properties, so another class could otherwise be handed a
 * cached context that points at emulators that are already stopped. {@code @Nested} classes share
 * the enclosing class's emulators. System properties are global: do not run such classes in parallel.
 */
public final class EmulatorsExtension
        implements BeforeAllCallback, AfterAllCallback, TestInstancePreConstructCallback, ParameterResolver {

    public static final String PUBSUB_EMULATOR_HOST = "spring.cloud.gcp.pubsub.emulator-host";
    public static final String FIRESTORE_EMULATOR_HOST = "spring.cloud.gcp.firestore.emulator-host";
    public static final String PROJECT_ID = "spring.cloud.gcp.project-id";
    public static final String FIRESTORE_PROJECT_ID = "spring.cloud.gcp.firestore.project-id";

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(EmulatorsExtension.class);

    /** The Spring properties that point an application at these emulators. */
    public static Map<String, String> springProperties(Emulators emulators) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put(PUBSUB_EMULATOR_HOST, emulators.pubsubHost());
        properties.put(FIRESTORE_EMULATOR_HOST, emulators.firestoreHost());
        properties.put(PROJECT_ID, emulators.projectId());
        properties.put(FIRESTORE_PROJECT_ID, emulators.projectId());
        return properties;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        ensureStarted(context);
    }

    /** With {@code @TestInstance(PER_CLASS)} the instance (and a Spring context) comes before beforeAll. */
    @Override
    public void preConstructTestInstance(TestInstanceFactoryContext factoryContext,
                                         ExtensionContext context) {
        ensureStarted(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        Running running = context.getStore(NAMESPACE).get(Running.class, Running.class);
        if (running != null && running.owner == context.getRequiredTestClass()) {
            running.restoreSystemProperties();
        }
        // The emulators themselves stop when JUnit closes the store, right after the afterAll
        // callbacks, so a Spring context closed in its own afterAll goes first.
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Class<?> type = parameterContext.getParameter().getType();
        return type == Emulators.class || type == EmulatorLauncher.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Running running = extensionContext.getStore(NAMESPACE).get(Running.class, Running.class);
        if (running == null) {
            throw new ParameterResolutionException("The emulators are not started yet for "
                    + parameterContext.getDeclaringExecutable());
        }
        return running.launcher;
    }

    private static void ensureStarted(ExtensionContext context) {
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        // A store lookup also sees enclosing classes' stores: @Nested classes reuse their emulators.
        if (store.get(Running.class) != null) {
            return;
        }
        Running running = new Running(EmulatorLauncher.start(), context.getRequiredTestClass());
        // In the store, JUnit closes it when the class is done, whatever happened.
        store.put(Running.class, running);
        running.setSystemProperties();
    }

    /** The emulators of one test class, and the system property values they replaced. */
    private static final class Running implements ExtensionContext.Store.CloseableResource {

        private final EmulatorLauncher launcher;
        private final Class<?> owner;
        private Map<String, String> previous;

        Running(EmulatorLauncher launcher, Class<?> owner) {
            this.launcher = launcher;
            this.owner = owner;
        }

        synchronized void setSystemProperties() {
            previous = new HashMap<>();
            springProperties(launcher).forEach((key, value) -> {
                previous.put(key, System.getProperty(key));
                System.setProperty(key, value);
            });
        }

        synchronized void restoreSystemProperties() {
            if (previous == null) {
                return;
            }
            previous.forEach((key, value) -> {
                if (value == null) {
                    System.clearProperty(key);
                } else {
                    System.setProperty(key, value);
                }
            });
            previous = null;
        }

        @Override
        public void close() {
            restoreSystemProperties();
            launcher.close();
        }
    }
}
