package io.rns.namesrv;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The dependency rules of DESIGN §1, checked on the compiled classes of every module on this classpath (rpc,
 * state-machine, raft-namesrv and the client). A violation fails the build.
 */
class ArchitectureTest {
    static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.rns");
        if (classes.stream().noneMatch(c -> c.getPackageName().startsWith("io.rns.statemachine"))
                || classes.stream().noneMatch(c -> c.getPackageName().startsWith("io.rns.namesrv.raft"))
                || classes.stream().noneMatch(c -> c.getPackageName().startsWith("io.rns.client"))
                || classes.stream().noneMatch(c -> c.getPackageName().startsWith("io.rns.rpc"))) {
            throw new IllegalStateException(
                    "architecture test must see every module's classes; imported " + classes.size());
        }
    }

    private static void check(ArchRule rule) {
        rule.check(classes);
    }

    @Test
    void onlyTheRaftPackageImportsJraft() {
        check(noClasses().that().resideOutsideOfPackage("io.rns.namesrv.raft..").should().dependOnClassesThat()
                .resideInAPackage("com.alipay.sofa.jraft.."));
    }

    @Test
    void stateMachineUsesNoNettyNoJraftNoRpc() {
        check(noClasses().that().resideInAnyPackage("io.rns.statemachine..", "io.rns.log..").should()
                .dependOnClassesThat().resideInAnyPackage("io.netty..", "com.alipay..", "io.rns.rpc..",
                        "io.rns.namesrv..", "io.rns.client..", "org.apache.rocketmq.."));
    }

    @Test
    void stateMachineReadsNoClockAndNoRandomness() {
        check(noClasses().that().resideInAnyPackage("io.rns.statemachine..", "io.rns.log..").should()
                .callMethod(System.class, "currentTimeMillis").orShould().callMethod(System.class, "nanoTime")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.time.Clock").orShould()
                .dependOnClassesThat().haveFullyQualifiedName("java.time.Instant").orShould().dependOnClassesThat()
                .haveFullyQualifiedName("java.util.Random").orShould().dependOnClassesThat()
                .haveFullyQualifiedName("java.util.concurrent.ThreadLocalRandom").orShould().dependOnClassesThat()
                .haveFullyQualifiedName("java.security.SecureRandom").orShould().dependOnClassesThat()
                .haveFullyQualifiedName("java.util.UUID"));
    }

    @Test
    void serverNeverDependsOnClient() {
        check(noClasses().that().resideInAnyPackage("io.rns.namesrv..", "io.rns.statemachine..", "io.rns.rpc..")
                .should().dependOnClassesThat().resideInAPackage("io.rns.client.."));
    }

    @Test
    void rocketmqTypesNeverReachWriteRaftOrStateMachine() {
        check(noClasses().that().resideInAnyPackage("io.rns.namesrv.write..", "io.rns.namesrv.raft..",
                "io.rns.statemachine..", "io.rns.log..").should().dependOnClassesThat()
                .resideInAPackage("org.apache.rocketmq.."));
    }

    @Test
    void rpcModuleKnowsNothingOfTheServerOrTheStore() {
        check(noClasses().that().resideInAPackage("io.rns.rpc..").should().dependOnClassesThat()
                .resideInAnyPackage("io.rns.namesrv..", "io.rns.statemachine..", "io.rns.log..", "com.alipay.."));
    }

    @Test
    void noJavaSerializationAnywhere() {
        check(noClasses().that().resideInAPackage("io.rns..").should().dependOnClassesThat()
                .haveFullyQualifiedName("java.io.ObjectOutputStream").orShould().dependOnClassesThat()
                .haveFullyQualifiedName("java.io.ObjectInputStream").orShould().dependOnClassesThat()
                .resideInAPackage("com.caucho.hessian.."));
    }
}
