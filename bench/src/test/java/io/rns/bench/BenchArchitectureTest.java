package io.rns.bench;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The benchmark's packages import one way: no cycles between {@code io.rns.bench.*} packages, and the root package
 * (the {@link BenchMain} entry point, which depends on everything) is depended on by none of them.
 */
@AnalyzeClasses(packages = "io.rns.bench", importOptions = ImportOption.DoNotIncludeTests.class)
class BenchArchitectureTest {
    @ArchTest
    static void importSeesTheBenchmarkClasses(JavaClasses classes) {
        if (classes.stream().noneMatch(c -> c.getPackageName().equals("io.rns.bench.scenario"))) {
            throw new IllegalStateException(
                    "architecture test must see the benchmark classes; imported " + classes.size());
        }
    }

    @ArchTest
    static final ArchRule packagesAreFreeOfCycles = slices().matching("io.rns.bench.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule noSubPackageDependsOnTheEntryPointPackage = noClasses().that()
            .resideInAPackage("io.rns.bench.*..").should().dependOnClassesThat().resideInAPackage("io.rns.bench");
}
