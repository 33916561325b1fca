package io.github.ordersaga.testsupport;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The boundaries between modules, checked by each context on the main code of its own classpath: its classes and
 * those of the shared modules it runs with (api-events, axon-pubsub, http-edge, firestore-projection, test-support
 * ...). A context's test sees only its own context, so each context extends this once. Every rule also fails when
 * the classes it speaks of are missing: a rule over nothing would pass whatever the code.
 */
public abstract class ContextArchitectureTest {

    private static final String ROOT = "io.github.ordersaga";
    private static final List<String> CONTEXTS = List.of("order", "inventory", "payment", "janitor", "gateway");
    private static final String BRIDGE = ROOT + ".pubsub..";
    private static final String TEST_SUPPORT = ROOT + ".testsupport..";
    private static final String AGGREGATE = "org.axonframework.spring.stereotype.Aggregate";

    private static JavaClasses mainClasses;

    private final String context;

    /** {@code context}: the package under io.github.ordersaga of the context whose module this runs in. */
    protected ContextArchitectureTest(String context) {
        if (!CONTEXTS.contains(context)) {
            throw new IllegalArgumentException(context + " is none of " + CONTEXTS);
        }
        this.context = context;
    }

    @Test
    public void theContextImportsNoOtherContext() {
        noClasses().that().resideInAPackage(pkg(context))
                .should().dependOnClassesThat().resideInAnyPackage(others())
                .allowEmptyShould(false).check(mainClasses());
    }

    @Test
    public void itsWebClassesNeverTouchAnAggregate() {
        noClasses().that().resideInAPackage(ROOT + "." + context + ".web..")
                .should().dependOnClassesThat().areAnnotatedWith(AGGREGATE)
                .allowEmptyShould(false).check(mainClasses());
    }

    @Test
    public void theBridgeImportsNoContext() {
        noClasses().that().resideInAPackage(BRIDGE)
                .should().dependOnClassesThat().resideInAnyPackage(CONTEXTS.stream().map(ContextArchitectureTest::pkg)
                        .toArray(String[]::new))
                .allowEmptyShould(false).check(mainClasses());
    }

    @Test
    public void noMainCodeImportsTestSupport() {
        noClasses().that().resideOutsideOfPackage(TEST_SUPPORT)
                .should().dependOnClassesThat().resideInAPackage(TEST_SUPPORT)
                .allowEmptyShould(false).check(mainClasses());
    }

    private String[] others() {
        return CONTEXTS.stream().filter(c -> !c.equals(context)).map(ContextArchitectureTest::pkg).toArray(String[]::new);
    }

    private static String pkg(String context) {
        return ROOT + "." + context + "..";
    }

    /** Every main class of the project on the classpath, in target/classes or in a module's jar; no test class. */
    private static synchronized JavaClasses mainClasses() {
        if (mainClasses == null) {
            mainClasses = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                    .importPackages(ROOT);
        }
        return mainClasses;
    }
}
