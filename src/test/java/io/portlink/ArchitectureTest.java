package io.portlink;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import java.util.List;
import java.util.stream.Stream;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.Slice;

/**
 * The allowed dependencies between Portlink's packages: pages → features → core → platform, nothing pointing upwards
 * (see each top-level package's {@code package-info.java}). Production classes only: a test may reach across layers to
 * set up what it checks. Not a Quarkus test: it reads the compiled classes and starts nothing.
 */
@AnalyzeClasses(packages = { "io.portlink", "db.migration" }, importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    /** Separate security boundaries (token, login, API key) and the dev-mode demo data: the top. */
    static final List<String> PAGES = List.of("portal", "staff", "api", "demo");
    /**
     * Work that joins features (one order, two audiences; a merchant's stock and its suppliers'): may use the features
     * below it, which never use it; used by the pages.
     */
    static final List<String> ORCHESTRATION = List.of("fulfilment", "dropship");
    /** What Portlink does for a business; features do not know each other (CDI events if they must talk). */
    static final List<String> FEATURES = List.of("purchasing", "shipment", "inventory");
    /** Shared by every feature: access links, outbox, timeline, tenants and staff. */
    static final List<String> CORE = List.of("link", "outbox", "timeline", "organization");
    static final List<String> PLATFORM = List.of("platform");

    @ArchTest
    static final ArchRule layers = layeredArchitecture().consideringOnlyDependenciesInLayers().layer("Pages")
            .definedBy(packages(PAGES)).layer("Orchestration").definedBy(packages(ORCHESTRATION)).layer("Features")
            .definedBy(packages(FEATURES)).layer("Core").definedBy(packages(CORE)).layer("Platform")
            .definedBy(packages(PLATFORM))
            // Java migrations may read and fix data with anything below the pages
            .layer("Migrations").definedBy("db.migration..").whereLayer("Pages").mayNotBeAccessedByAnyLayer()
            .whereLayer("Orchestration").mayOnlyBeAccessedByLayers("Pages").whereLayer("Features")
            .mayOnlyBeAccessedByLayers("Pages", "Orchestration", "Migrations").whereLayer("Core")
            .mayOnlyBeAccessedByLayers("Pages", "Orchestration", "Features", "Migrations").whereLayer("Platform")
            .mayOnlyBeAccessedByLayers("Pages", "Orchestration", "Features", "Core", "Migrations")
            .whereLayer("Migrations").mayNotBeAccessedByAnyLayer();

    @ArchTest
    static final ArchRule pagesNeverUseEachOther = slices().matching("io.portlink.(*)..").that(named(PAGES)).should()
            .notDependOnEachOther()
            .because("each page package is its own security boundary; what they share belongs in the platform");

    @ArchTest
    static final ArchRule featuresNeverUseEachOther = slices().matching("io.portlink.(*)..").that(named(FEATURES))
            .should().notDependOnEachOther()
            .because("a shipment works without a purchase order, and purchasing without shipments");

    @ArchTest
    static final ArchRule featuresNeverUseFulfilment = noClasses().that().resideInAnyPackage(packages(FEATURES))
            .should().dependOnClassesThat().resideInAnyPackage(packages(ORCHESTRATION))
            .because("purchasing and shipment each work alone; fulfilment joins them from above");

    @ArchTest
    static final ArchRule coreKnowsNoFeature = noClasses().that().resideInAnyPackage(packages(CORE)).should()
            .dependOnClassesThat().resideInAnyPackage(packages(FEATURES))
            .because("every feature (and the next audience) must reuse the core as it is");

    @ArchTest
    static final ArchRule noCycles = slices().matching("io.portlink.(*)..").should().beFreeOfCycles();

    /** A new top-level package would be checked by none of the rules above: it must join a layer here first. */
    @ArchTest
    static final ArchRule everyPackageHasALayer = classes().that().resideInAPackage("io.portlink..").should()
            .resideInAnyPackage(
                    packages(Stream.of(PAGES, ORCHESTRATION, FEATURES, CORE, PLATFORM).flatMap(List::stream).toList()));

    private static String[] packages(List<String> names) {
        return names.stream().map(name -> "io.portlink." + name + "..").toArray(String[]::new);
    }

    private static DescribedPredicate<Slice> named(List<String> names) {
        return DescribedPredicate.describe("are " + String.join(", ", names),
                slice -> names.contains(slice.getNamePart(1)));
    }
}
