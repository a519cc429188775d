package io.rns.namesrv;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The node's one-way stack (DESIGN §2): admin, api -> {write, read, liveness, watch} -> consensus -> config -> base, with raft/
 * and leaderless/ implementing the consensus ports, no package cycles, and write/ building no wire answers. Each rule
 * is also run against a planted violation (test package io.rns.archfixture: write importing api) to show it can fail.
 */
class NodeLayeringTest {
    private static final String NODE = "io.rns.namesrv";

    private static JavaClasses mainClasses() {
        return new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(NODE);
    }

    private static JavaClasses fixtureClasses() {
        return new ClassFileImporter().importPackages("io.rns.archfixture");
    }

    static ArchRule noCycles(String root) {
        return slices().matching(root + ".(*)..").should().beFreeOfCycles();
    }

    static ArchRule layers(String root) {
        return layeredArchitecture().consideringOnlyDependenciesInLayers().layer("root").definedBy(root).layer("admin")
                .definedBy(root + ".admin..").layer("spi").definedBy(root + ".spi..").layer("api")
                .definedBy(root + ".api..").layer("services")
                .definedBy(root + ".write..", root + ".read..", root + ".liveness..", root + ".watch..")
                .layer("engines").definedBy(root + ".raft..", root + ".leaderless..").layer("consensus")
                .definedBy(root + ".consensus..").layer("auth").definedBy(root + ".auth..").layer("config")
                .definedBy(root + ".config..").layer("base").definedBy(root + ".base..").whereLayer("root")
                .mayNotBeAccessedByAnyLayer().whereLayer("admin").mayOnlyBeAccessedByLayers("root").whereLayer("spi")
                .mayOnlyBeAccessedByLayers("root").whereLayer("api").mayOnlyBeAccessedByLayers("root")
                .whereLayer("services").mayOnlyBeAccessedByLayers("root", "admin", "api", "services")
                .whereLayer("engines").mayOnlyBeAccessedByLayers("root").whereLayer("auth")
                .mayOnlyBeAccessedByLayers("root", "admin", "spi", "api").whereLayer("consensus")
                .mayOnlyBeAccessedByLayers("root", "admin", "api", "services", "engines").whereLayer("config")
                .mayOnlyBeAccessedByLayers("root", "admin", "spi", "api", "auth", "services", "engines", "consensus")
                .withOptionalLayers(true);
    }

    /**
     * Inside the services layer: liveness may use the write path (expiries are writes) and watch the read path's wire
     * form of a route; nothing else crosses.
     */
    static ArchRule servicesStayApart(String root) {
        return CompositeArchRule
                .of(noClasses().that().resideInAPackage(root + ".write..").should().dependOnClassesThat()
                        .resideInAnyPackage(root + ".api..", root + ".read..", root + ".liveness..", root + ".spi..",
                                root + ".watch.."))
                .and(noClasses().that().resideInAPackage(root + ".read..").should().dependOnClassesThat()
                        .resideInAnyPackage(root + ".api..", root + ".write..", root + ".liveness..", root + ".spi..",
                                root + ".watch..")
                        .allowEmptyShould(true)) // the planted fixture has no read package
                .and(noClasses().that().resideInAPackage(root + ".watch..").should().dependOnClassesThat()
                        .resideInAnyPackage(root + ".api..", root + ".write..", root + ".liveness..", root + ".spi..")
                        .allowEmptyShould(true));
    }

    static ArchRule writeBuildsNoWireAnswers(String root) {
        return noClasses().that().resideInAPackage(root + ".write..").should().dependOnClassesThat()
                .haveFullyQualifiedName("io.rns.rpc.v1.ResponseEnvelope").orShould().dependOnClassesThat()
                .haveFullyQualifiedName("io.rns.rpc.v1.ResponseHeader").orShould().dependOnClassesThat()
                .resideInAnyPackage("io.rns.rpc.transport..", root + ".api..");
    }

    @Test
    void theNodePackagesHaveNoCycles() {
        noCycles(NODE).check(mainClasses());
    }

    /** The other modules on this classpath: rpc and the state machine (one package each today, so cycles cannot form). */
    @Test
    void rpcAndStateMachineHaveNoCycles() {
        JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.rns.rpc", "io.rns.statemachine");
        noCycles("io.rns.rpc").allowEmptyShould(true).check(classes);
        noCycles("io.rns.statemachine").allowEmptyShould(true).check(classes);
        // and between the modules' root packages
        slices().matching("io.rns.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void theNodeIsLayered() {
        layers(NODE).check(mainClasses());
    }

    @Test
    void writeAndReadDoNotReachSideways() {
        servicesStayApart(NODE).check(mainClasses());
    }

    @Test
    void theWritePathBuildsNoWireAnswers() {
        writeBuildsNoWireAnswers(NODE).check(mainClasses());
    }

    @Test
    void everyRuleFailsOnAPlantedViolation() {
        JavaClasses planted = fixtureClasses();
        String root = "io.rns.archfixture";
        assertTrue(noCycles(root).evaluate(planted).hasViolation(), "the cycle rule must see api <-> write");
        assertTrue(layers(root).evaluate(planted).hasViolation(), "the layer rule must see write -> api");
        assertTrue(writeBuildsNoWireAnswers(root).evaluate(planted).hasViolation(), "write -> api is refused");
        assertTrue(servicesStayApart(root).evaluate(planted).hasViolation(), "write -> api crosses sideways");
    }
}
