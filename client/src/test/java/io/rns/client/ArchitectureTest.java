package io.rns.client;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The client library's package rules: its packages form no cycle, the public package sits on top of
 * {@code internal} (never the other way round), and nothing of the command-line tool leaks into the library.
 */
@AnalyzeClasses(packages = "io.rns.client", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    @ArchTest
    static final ArchRule subPackagesAreFreeOfCycles = slices().matching("io.rns.client.(*)..").should()
            .beFreeOfCycles();

    @ArchTest
    static final ArchRule internalDoesNotDependOnThePublicPackage = noClasses().that()
            .resideInAPackage("io.rns.client.internal..").should().dependOnClassesThat()
            .resideInAPackage("io.rns.client");

    @ArchTest
    static final ArchRule theLibraryUsesNoCommandLineLibraries = noClasses().that().resideInAPackage("io.rns.client..")
            .should().dependOnClassesThat()
            .resideInAnyPackage("picocli..", "com.google.protobuf.util..", "ch.qos.logback..", "io.rns.cli..");
}
