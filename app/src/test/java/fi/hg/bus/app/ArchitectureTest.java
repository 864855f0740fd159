package fi.hg.bus.app;

import com.tngtech.archunit.ArchConfiguration;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import fi.hg.bus.adapters.http.archfixture.HttpReachingIntoPersistence;
import fi.hg.bus.application.archfixture.ApplicationReachingIntoApp;
import fi.hg.bus.domain.archcyclea.CycleA;
import fi.hg.bus.domain.archcycleb.CycleB;
import fi.hg.bus.domain.archfixture.DomainReachingForFrameworks;
import fi.hg.bus.script.archfixture.ScriptReachingForTheCommandLine;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The module rules of DESIGN.md, checked on the production classes of every module. Each rule
 * fails when it matches no class (ArchUnit's {@code failOnEmptyShould}, kept on in
 * archunit.properties): a rule that matches nothing proves nothing. The tests at the end show that
 * each rule catches what it forbids, with small fixtures that live in test sources only.
 */
class ArchitectureTest {

    private static final String DOMAIN = "fi.hg.bus.domain..";
    private static final String APPLICATION = "fi.hg.bus.application..";
    private static final String APP = "fi.hg.bus.app..";
    private static final String PERSISTENCE = "fi.hg.bus.adapters.persistence..";
    private static final String SCRIPT = "fi.hg.bus.script..";
    private static final String[] FRAMEWORKS = {"io.helidon..", "org.jooq..", "com.stripe..", "picocli..", "org.jline..",
            "java.sql..", "javax.sql..", "org.flywaydb..", "com.zaxxer..", "org.postgresql..", "io.zonky..",
            "com.fasterxml.."};

    /** Test classes of a module that arrive as a test-jar (not a test-classes directory) are not production either. */
    private static final ImportOption NO_TEST_JARS = location -> !location.contains("-tests.jar");

    private static JavaClasses production;

    @BeforeAll
    static void importProductionClasses() {
        production = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(NO_TEST_JARS)
                .importPackages("fi.hg.bus");
    }

    // ---- the rules ------------------------------------------------------------------------------

    static final ArchRule DOMAIN_ONLY_ON_JDK = classes().that().resideInAPackage(DOMAIN)
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", DOMAIN)
            .as("the domain depends only on the JDK and itself");

    static final ArchRule APPLICATION_ONLY_ON_DOMAIN = classes().that().resideInAPackage(APPLICATION)
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", DOMAIN, APPLICATION)
            .as("the application depends only on the domain, the JDK and itself");

    static final ArchRule SCRIPT_ONLY_ON_JDK = classes().that().resideInAPackage(SCRIPT)
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", SCRIPT)
            .as("bus-script (the .bus language) depends only on the JDK and itself");

    static final ArchRule NO_FRAMEWORKS_IN_THE_CORE = noClasses().that().resideInAnyPackage(DOMAIN, APPLICATION)
            .should().dependOnClassesThat().resideInAnyPackage(FRAMEWORKS)
            .as("domain and application use no framework, database or JSON library");

    static final ArchRule ADAPTERS_INDEPENDENT = slices().matching("fi.hg.bus.adapters.(*)..")
            .should().notDependOnEachOther()
            .as("adapters (http, persistence, cli, provider) never import each other");

    static final ArchRule ONLY_APP_SEES_APP = noClasses().that().resideOutsideOfPackage(APP)
            .should().dependOnClassesThat().resideInAPackage(APP)
            .as("nothing outside the composition root imports it");

    static final ArchRule JOOQ_STAYS_IN_PERSISTENCE = noClasses().that().resideOutsideOfPackage(PERSISTENCE)
            .should().dependOnClassesThat().resideInAnyPackage("org.jooq..", "org.flywaydb..", "com.zaxxer..", "org.postgresql..")
            .as("jOOQ, Flyway, HikariCP and the JDBC driver are used only in adapters-persistence");

    static final ArchRule NO_CYCLES_BETWEEN_MODULES = slices().matching("fi.hg.bus.(*)..")
            .should().beFreeOfCycles()
            .as("no cycles between domain, application, adapters and app");

    /*
     * Within a module the slices are its first-level subpackages, its business areas. A module's
     * root package holds its entry point and shared types (HttpApi, ApiError, Cli, CommandFailed,
     * Main) and is not a slice of its own: adapters-cli's Cli wires the operator commands, which use
     * its CommandFailed and Output.
     */
    static final List<ArchRule> NO_CYCLES_WITHIN_MODULES = List.of(
            slices().matching("fi.hg.bus.domain.(*)..").should().beFreeOfCycles(),
            slices().matching("fi.hg.bus.application.(*)..").should().beFreeOfCycles(),
            slices().matching("fi.hg.bus.adapters.(*).(*)..").should().beFreeOfCycles(),
            slices().matching("fi.hg.bus.script.(*)..").should().beFreeOfCycles(),
            slices().matching("fi.hg.bus.app.(*)..").should().beFreeOfCycles());

    // ---- the code follows them ------------------------------------------------------------------

    @Test
    void the_domain_depends_only_on_the_jdk_and_itself() {
        DOMAIN_ONLY_ON_JDK.check(production);
    }

    @Test
    void the_application_depends_only_on_the_domain_and_the_jdk() {
        APPLICATION_ONLY_ON_DOMAIN.check(production);
    }

    @Test
    void bus_script_depends_only_on_the_jdk_and_itself() {
        SCRIPT_ONLY_ON_JDK.check(production);
    }

    @Test
    void domain_and_application_import_no_framework() {
        NO_FRAMEWORKS_IN_THE_CORE.check(production);
    }

    @Test
    void adapters_never_import_each_other() {
        ADAPTERS_INDEPENDENT.check(production);
    }

    @Test
    void nothing_outside_app_imports_app() {
        ONLY_APP_SEES_APP.check(production);
    }

    @Test
    void jooq_and_jdbc_stay_in_the_persistence_adapter() {
        JOOQ_STAYS_IN_PERSISTENCE.check(production);
    }

    @Test
    void there_are_no_cycles_between_modules() {
        NO_CYCLES_BETWEEN_MODULES.check(production);
    }

    @Test
    void there_are_no_cycles_between_the_areas_of_a_module() {
        NO_CYCLES_WITHIN_MODULES.forEach(rule -> rule.check(production));
    }

    // ---- the rules are not vacuous --------------------------------------------------------------

    @Test
    void the_import_holds_production_classes_of_every_module_and_no_tests() {
        Set<String> packages = production.stream().map(JavaClass::getPackageName).collect(Collectors.toSet());

        for (String module : List.of("fi.hg.bus.domain", "fi.hg.bus.application", "fi.hg.bus.adapters.persistence",
                "fi.hg.bus.adapters.http", "fi.hg.bus.adapters.cli", "fi.hg.bus.adapters.provider", "fi.hg.bus.script", "fi.hg.bus.app")) {
            assertTrue(packages.stream().anyMatch(p -> p.equals(module) || p.startsWith(module + ".")), module + " imported");
        }
        assertFalse(production.contain(ArchitectureTest.class), "test classes are not imported");
        assertFalse(production.contain("fi.hg.bus.adapters.persistence.testing.TestDatabases"), "test-jar classes are not imported");
        assertFalse(production.contain(DomainReachingForFrameworks.class), "fixtures are not imported");
    }

    @Test
    void archunit_is_configured_to_fail_empty_rules() {
        assertEquals("true", ArchConfiguration.get().getPropertyOrDefault("archRule.failOnEmptyShould", "true"));
    }

    @Test
    void a_rule_over_a_package_that_does_not_exist_fails() {
        ArchRule onlyJdk = classes().that().resideInAPackage("fi.hg.bus.nosuchmodule..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..");
        ArchRule noFrameworks = noClasses().that().resideInAPackage("fi.hg.bus.nosuchmodule..")
                .should().dependOnClassesThat().resideInAnyPackage(FRAMEWORKS);
        ArchRule noCycles = slices().matching("fi.hg.bus.nosuchmodule.(*)..").should().beFreeOfCycles();
        ArchRule independent = slices().matching("fi.hg.bus.nosuchmodule.(*)..").should().notDependOnEachOther();

        for (ArchRule rule : List.of(onlyJdk, noFrameworks, noCycles, independent)) {
            assertFailsForMatchingNothing(rule, production);
        }
    }

    private static void assertFailsForMatchingNothing(ArchRule rule, JavaClasses classes) {
        AssertionError e = assertThrows(AssertionError.class, () -> rule.check(classes), rule.getDescription());
        assertTrue(e.getMessage().contains("failed to check any classes"), e.getMessage());
    }

    @Test
    void the_rules_about_our_packages_fail_on_classes_outside_them() {
        JavaClasses unrelated = new ClassFileImporter().importClasses(String.class, List.class);

        for (ArchRule rule : List.of(DOMAIN_ONLY_ON_JDK, APPLICATION_ONLY_ON_DOMAIN, SCRIPT_ONLY_ON_JDK, NO_FRAMEWORKS_IN_THE_CORE,
                ADAPTERS_INDEPENDENT, NO_CYCLES_BETWEEN_MODULES)) {
            assertFailsForMatchingNothing(rule, unrelated);
        }
        NO_CYCLES_WITHIN_MODULES.forEach(rule -> assertFailsForMatchingNothing(rule, unrelated));
    }

    @Test
    void a_domain_class_using_jdbc_and_jooq_is_caught() {
        JavaClasses offending = new ClassFileImporter().importClasses(DomainReachingForFrameworks.class);

        assertThrows(AssertionError.class, () -> DOMAIN_ONLY_ON_JDK.check(offending));
        assertThrows(AssertionError.class, () -> NO_FRAMEWORKS_IN_THE_CORE.check(offending));
        assertThrows(AssertionError.class, () -> JOOQ_STAYS_IN_PERSISTENCE.check(offending));
    }

    @Test
    void a_script_class_using_picocli_or_jline_is_caught() {
        JavaClasses offending = new ClassFileImporter().importClasses(ScriptReachingForTheCommandLine.class);

        assertThrows(AssertionError.class, () -> SCRIPT_ONLY_ON_JDK.check(offending));
    }

    @Test
    void an_application_class_reaching_outward_is_caught() {
        JavaClasses offending = new ClassFileImporter().importClasses(ApplicationReachingIntoApp.class);

        assertThrows(AssertionError.class, () -> APPLICATION_ONLY_ON_DOMAIN.check(offending));
        assertThrows(AssertionError.class, () -> ONLY_APP_SEES_APP.check(offending));
    }

    @Test
    void an_adapter_importing_another_adapter_is_caught() {
        JavaClasses offending = new ClassFileImporter().importClasses(HttpReachingIntoPersistence.class,
                fi.hg.bus.adapters.persistence.store.DatabaseUrl.class);

        assertThrows(AssertionError.class, () -> ADAPTERS_INDEPENDENT.check(offending));
    }

    @Test
    void a_package_cycle_is_caught() {
        JavaClasses offending = new ClassFileImporter().importClasses(CycleA.class, CycleB.class);

        assertThrows(AssertionError.class, () -> NO_CYCLES_WITHIN_MODULES.getFirst().check(offending));
    }
}
