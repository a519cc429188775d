package io.rns.chaos;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The harness's packages import one way: no cycles between {@code io.rns.chaos.*} packages, and the root package
 * (the {@link ChaosMain} entry point, which depends on everything) is depended on by none of them.
 */
@AnalyzeClasses(packages = "io.rns.chaos", importOptions = ImportOption.DoNotIncludeTests.class)
class ChaosArchitectureTest {
    @ArchTest
    static void importSeesTheHarnessClasses(JavaClasses classes) {
        if (classes.stream().noneMatch(c -> c.getPackageName().equals("io.rns.chaos.runner"))) {
            throw new IllegalStateException(
                    "architecture test must see the harness classes; imported " + classes.size());
        }
    }

    @ArchTest
    static final ArchRule packagesAreFreeOfCycles = slices().matching("io.rns.chaos.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule noSubPackageDependsOnTheEntryPointPackage = noClasses().that()
            .resideInAPackage("io.rns.chaos.*..").should().dependOnClassesThat().resideInAPackage("io.rns.chaos");
}
