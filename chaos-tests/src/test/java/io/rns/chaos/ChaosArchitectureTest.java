package io.rns.chaos;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The harness's packages import one way: no cycles between {@code io.rns.chaos.*} packages, and the root package
 * (the {@link ChaosMain} entry point, which depends on everything) is depended on by none of them.
 */
class ChaosArchitectureTest {
    static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.rns.chaos");
        if (classes.stream().noneMatch(c -> c.getPackageName().equals("io.rns.chaos.runner"))) {
            throw new IllegalStateException(
                    "architecture test must see the harness classes; imported " + classes.size());
        }
    }

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("io.rns.chaos.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void noSubPackageDependsOnTheEntryPointPackage() {
        noClasses().that().resideInAPackage("io.rns.chaos.*..").should().dependOnClassesThat()
                .resideInAPackage("io.rns.chaos").check(classes);
    }
}
