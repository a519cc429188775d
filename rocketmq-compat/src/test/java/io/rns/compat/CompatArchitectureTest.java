package io.rns.compat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * DESIGN §1 for RocketMQ types, checked where the compiled classes of every server module, rocketmq-compat included,
 * are on the classpath: only io.rns.compat may use org.apache.rocketmq; they never reach write/, raft/ or the state
 * machine. (The rule was checked to fail on a planted io.rns.namesrv.write class importing RemotingCommand.) Inside
 * the module, packages import one way: the sub-packages (dispatch -> register/query/admin -> handler) are free of
 * cycles and never import the ingress root {@code io.rns.compat}. (The cycle rule was checked to fail on a planted
 * import of io.rns.compat.dispatch from io.rns.compat.handler, the root rule on a planted io.rns.compat.query class
 * using RocketmqIngressProvider.)
 */
class CompatArchitectureTest {
    static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.rns");
        for (String p : new String[]{"io.rns.compat", "io.rns.namesrv.write", "io.rns.namesrv.raft",
                "io.rns.statemachine"}) {
            if (classes.stream().noneMatch(c -> c.getPackageName().startsWith(p))) {
                throw new IllegalStateException("architecture test must see " + p + "; imported " + classes.size());
            }
        }
    }

    static final ArchRule ONLY_COMPAT_USES_ROCKETMQ = noClasses().that().resideInAPackage("io.rns..").and()
            .resideOutsideOfPackage("io.rns.compat..").should().dependOnClassesThat()
            .resideInAPackage("org.apache.rocketmq..");

    static final ArchRule NOT_IN_WRITE_RAFT_STATE_MACHINE = noClasses().that()
            .resideInAnyPackage("io.rns.namesrv.write..", "io.rns.namesrv.raft..", "io.rns.statemachine..",
                    "io.rns.log..")
            .should().dependOnClassesThat().resideInAnyPackage("org.apache.rocketmq..", "io.rns.compat..");

    static final ArchRule COMPAT_PACKAGES_FREE_OF_CYCLES = slices().matching("io.rns.compat.(*)..").should()
            .beFreeOfCycles();

    static final ArchRule SUB_PACKAGES_NEVER_IMPORT_THE_INGRESS_ROOT = noClasses().that()
            .resideInAPackage("io.rns.compat..").and().resideOutsideOfPackage("io.rns.compat").should()
            .dependOnClassesThat().resideInAPackage("io.rns.compat");

    @Test
    void compatPackagesAreFreeOfCycles() {
        COMPAT_PACKAGES_FREE_OF_CYCLES.check(classes);
    }

    @Test
    void compatSubPackagesNeverImportTheIngressRoot() {
        SUB_PACKAGES_NEVER_IMPORT_THE_INGRESS_ROOT.check(classes);
    }

    @Test
    void onlyTheCompatPackageUsesRocketmqClasses() {
        ONLY_COMPAT_USES_ROCKETMQ.check(classes);
    }

    @Test
    void rocketmqAndCompatNeverReachWriteRaftOrStateMachine() {
        NOT_IN_WRITE_RAFT_STATE_MACHINE.check(classes);
    }
}
