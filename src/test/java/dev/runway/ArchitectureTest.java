package dev.runway;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Views call services, services own the database, features depend on tenancy and not on each other in cycles. */
class ArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.runway");

    @Test
    void views_never_touch_the_database() {
        noClasses().that().resideInAPackage("..ui..")
                .should().dependOnClassesThat().resideInAnyPackage("jakarta.persistence..", "org.hibernate..",
                        "java.sql..", "javax.sql..")
                .because("views call services; services own transactions and permissions")
                .check(CLASSES);
    }

    @Test
    void services_and_entities_never_depend_on_views() {
        noClasses().that().resideOutsideOfPackages("..ui..")
                .and().resideOutsideOfPackage("dev.runway")
                .should().dependOnClassesThat().resideInAPackage("dev.runway..ui..")
                .check(CLASSES);
    }

    @Test
    void no_cycles_between_features() {
        slices().matching("dev.runway.(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void features_do_not_use_the_shell() {
        noClasses().that().resideOutsideOfPackage("dev.runway.ui..")
                .should().dependOnClassesThat().resideInAPackage("dev.runway.ui..")
                .because("the shell (layout, dashboard) sits on top of the features, never below them")
                .check(CLASSES);
    }

    @Test
    void the_shared_kernel_depends_on_no_feature() {
        noClasses().that().resideInAPackage("dev.runway.base..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.runway.tenancy..", "dev.runway.project..",
                        "dev.runway.dataset..", "dev.runway.budget..", "dev.runway.training..", "dev.runway.model..",
                        "dev.runway.billing..", "dev.runway.ui..")
                .check(CLASSES);
    }
}
