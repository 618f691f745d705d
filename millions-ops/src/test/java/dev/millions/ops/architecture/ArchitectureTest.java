package dev.millions.ops.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.jspecify.annotations.NullMarked;

/**
 * The rules that keep the shape of the code (docs/architecture.md): modules depend only downward, the
 * supervisor and the commands know no role, roles know each other only through capabilities.
 */
@AnalyzeClasses(packages = "dev.millions", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule modules_dependOnlyDownward = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("ops").definedBy("dev.millions.ops..")
            .layer("bench").definedBy("dev.millions.bench..")
            .layer("edge").definedBy("dev.millions.edge..")
            .layer("postgres").definedBy("dev.millions.postgres..")
            .layer("redis").definedBy("dev.millions.redis..")
            .layer("kafka").definedBy("dev.millions.kafka..")
            .layer("jdbc").definedBy("dev.millions.jdbc..")
            .layer("common").definedBy("dev.millions.common..")
            .whereLayer("ops").mayNotBeAccessedByAnyLayer()
            .whereLayer("bench").mayOnlyBeAccessedByLayers("ops")
            .whereLayer("edge").mayOnlyBeAccessedByLayers("ops")
            .whereLayer("postgres").mayOnlyBeAccessedByLayers("ops")
            .whereLayer("redis").mayOnlyBeAccessedByLayers("ops")
            .whereLayer("kafka").mayOnlyBeAccessedByLayers("ops")
            .whereLayer("jdbc").mayOnlyBeAccessedByLayers("ops")
            .whereLayer("common").mayOnlyBeAccessedByLayers("ops", "bench", "edge", "postgres", "redis", "kafka", "jdbc");

    @ArchTest
    static final ArchRule onlyRoles_knowARole = noClasses()
            .that().resideOutsideOfPackage("dev.millions.ops.role..")
            .should().dependOnClassesThat().resideInAPackage("dev.millions.ops.role..")
            .because("the supervisor, the commands and the topology find roles through the registry "
                     + "(dev.millions.ops.node.Roles) and capabilities, so that a new role is one new package");

    @ArchTest
    static final ArchRule roles_knowEachOtherOnlyThroughCapabilities = slices()
            .matching("dev.millions.ops.role.(*)..").should().notDependOnEachOther();

    @ArchTest
    static final ArchRule nodeAndTopology_knowNeitherTheSupervisorNorTheCommands = noClasses()
            .that().resideInAnyPackage("dev.millions.ops.node..", "dev.millions.ops.topology..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.millions.ops.supervisor..",
                                                               "dev.millions.ops.cli..");

    @ArchTest
    static final ArchRule topology_isPlainData = noClasses()
            .that().resideInAPackage("dev.millions.ops.topology..")
            .should().dependOnClassesThat().resideInAPackage("dev.millions.ops.node..");

    @ArchTest
    static final ArchRule onlyTheMeasureCommands_useTheBench = noClasses()
            .that().resideInAnyPackage("dev.millions.ops.supervisor..", "dev.millions.ops.node..",
                                       "dev.millions.ops.topology..", "dev.millions.ops.role..")
            .should().dependOnClassesThat().resideInAPackage("dev.millions.bench..");

    @ArchTest
    static final ArchRule theSupervisor_doesNotReachIntoTheCommands = noClasses()
            .that().resideInAPackage("dev.millions.ops.supervisor..")
            .should().dependOnClassesThat().resideInAPackage("dev.millions.ops.cli..");

    @ArchTest
    static final ArchRule sharedModules_areNullMarked = classes()
            .that().resideInAnyPackage("dev.millions.common..", "dev.millions.jdbc..", "dev.millions.kafka..")
            .should(resideInANullMarkedPackage());

    @ArchTest
    static final ArchRule roleDrivers_areRegistered = classes()
            .that().implement("dev.millions.ops.node.RoleDriver")
            .should().resideInAPackage("dev.millions.ops.role..")
            .andShould().haveSimpleNameEndingWith("Role");

    /** Where NullAway checks every reference (its OnlyNullMarked mode): a package-info.java with @NullMarked. */
    private static ArchCondition<JavaClass> resideInANullMarkedPackage() {
        return new ArchCondition<>("reside in a @NullMarked package, which NullAway checks at compile time") {
            @Override
            public void check(JavaClass item, ConditionEvents events) {
                if (!item.getPackage().isAnnotatedWith(NullMarked.class)) {
                    events.add(SimpleConditionEvent.violated(item, item.getName() + " is in " + item.getPackageName()
                                                                   + ", which has no @NullMarked package-info.java"));
                }
            }
        };
    }
}
