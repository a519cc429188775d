package io.rns.cli;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** The tool's package rules: no cycle, and the output package knows no command (commands use it, not back). */
@AnalyzeClasses(packages = "io.rns.cli", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    @ArchTest
    static final ArchRule subPackagesAreFreeOfCycles = slices().matching("io.rns.cli.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule outputDoesNotDependOnTheCommands = noClasses().that().resideInAPackage("io.rns.cli.output..")
            .should().dependOnClassesThat().resideInAPackage("io.rns.cli");
}
