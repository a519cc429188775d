package io.rns.client;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The client library's package rules: its packages form no cycle, the public package sits on top of
 * {@code internal} (never the other way round), and nothing of the command-line tool leaks into the library.
 */
class ArchitectureTest {
    static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.rns.client");
    }

    @Test
    void subPackagesAreFreeOfCycles() {
        slices().matching("io.rns.client.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void internalDoesNotDependOnThePublicPackage() {
        noClasses().that().resideInAPackage("io.rns.client.internal..").should().dependOnClassesThat()
                .resideInAPackage("io.rns.client").check(classes);
    }

    @Test
    void theLibraryUsesNoCommandLineLibraries() {
        noClasses().that().resideInAPackage("io.rns.client..").should().dependOnClassesThat()
                .resideInAnyPackage("picocli..", "com.google.protobuf.util..", "ch.qos.logback..", "io.rns.cli..")
                .check(classes);
    }
}
