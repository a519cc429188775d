package io.rns.compat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * DESIGN §1 for RocketMQ types, checked where the compiled classes of every server module, rocketmq-compat included,
 * are on the classpath: only io.rns.compat may use org.apache.rocketmq; they never reach write/, raft/ or the state
 * machine. (The rule was checked to fail on a planted io.rns.namesrv.write class importing RemotingCommand.)
 */
class CompatArchitectureTest {
    static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.rns");
        for (String p :
                new String[] {"io.rns.compat", "io.rns.namesrv.write", "io.rns.namesrv.raft", "io.rns.statemachine"}) {
            if (classes.stream().noneMatch(c -> c.getPackageName().startsWith(p))) {
                throw new IllegalStateException("architecture test must see " + p + "; imported " + classes.size());
            }
        }
    }

    static final ArchRule ONLY_COMPAT_USES_ROCKETMQ = noClasses()
            .that()
            .resideInAPackage("io.rns..")
            .and()
            .resideOutsideOfPackage("io.rns.compat..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("org.apache.rocketmq..");

    static final ArchRule NOT_IN_WRITE_RAFT_STATE_MACHINE = noClasses()
            .that()
            .resideInAnyPackage(
                    "io.rns.namesrv.write..", "io.rns.namesrv.raft..", "io.rns.statemachine..", "io.rns.log..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("org.apache.rocketmq..", "io.rns.compat..");

    @Test
    void onlyTheCompatPackageUsesRocketmqClasses() {
        ONLY_COMPAT_USES_ROCKETMQ.check(classes);
    }

    @Test
    void rocketmqAndCompatNeverReachWriteRaftOrStateMachine() {
        NOT_IN_WRITE_RAFT_STATE_MACHINE.check(classes);
    }
}
