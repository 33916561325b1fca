package io.github.ordersaga.api;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

/** The published language depends on nothing but the JDK, Jackson's annotations and Axon's routing annotation. */
class DependencyRulesTest {

    @Test
    void apiEventsDependsOnlyOnAnnotations() {
        classes().that().resideInAPackage("io.github.ordersaga.api..")
                .should().onlyDependOnClassesThat().resideInAnyPackage(
                        "java..", "io.github.ordersaga.api..",
                        "com.fasterxml.jackson.annotation..", "org.axonframework.modelling.command..")
                .check(new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("io.github.ordersaga.api"));
    }
}
