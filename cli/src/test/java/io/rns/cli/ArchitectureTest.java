package io.rns.cli;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** The tool's package rules: no cycle, and the output package knows no command (commands use it, not back). */
class ArchitectureTest {
    static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.rns.cli");
    }

    @Test
    void subPackagesAreFreeOfCycles() {
        slices().matching("io.rns.cli.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void outputDoesNotDependOnTheCommands() {
        noClasses().that().resideInAPackage("io.rns.cli.output..").should().dependOnClassesThat()
                .resideInAPackage("io.rns.cli").check(classes);
    }
}
