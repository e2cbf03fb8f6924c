package dev.runway;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.runway.training.RunCharges;
import org.junit.jupiter.api.Test;

/**
 * Views call services, services own the database, features depend on tenancy and not on each other in cycles; training,
 * billing and the budgets talk through ports and events (docs/billing.md, "How billing meets training and budgets").
 */
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
    void no_cycles_between_packages() {
        slices().matching("dev.runway.(**)").should().beFreeOfCycles()
                .because("sub-packages (a feature's ui, training's engine) sit on top of or below their feature, "
                        + "never both")
                .check(CLASSES);
    }

    @Test
    void training_depends_on_neither_billing_nor_budget() {
        noClasses().that().resideInAPackage("dev.runway.training..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.runway.billing..", "dev.runway.budget..")
                .because("training charges runs through its own RunCharges port, which billing implements, and hears "
                        + "the plan's concurrency as a PlanConcurrency event")
                .check(CLASSES);
    }

    @Test
    void billing_does_not_depend_on_budget() {
        noClasses().that().resideInAPackage("dev.runway.billing..")
                .should().dependOnClassesThat().resideInAPackage("dev.runway.budget..")
                .because("billing asks the budgets through its BudgetLimits port and tells them its compute spend as "
                        + "a ComputeSpent event, observed in the metering transaction")
                .check(CLASSES);
    }

    @Test
    void the_data_features_depend_on_no_money_feature() {
        noClasses().that().resideInAnyPackage("dev.runway.tenancy..", "dev.runway.project..", "dev.runway.dataset..",
                        "dev.runway.model..", "dev.runway.collaboration..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.runway.billing..", "dev.runway.budget..")
                .because("billing and the budgets sit on top: they read what the other features hold through their "
                        + "services, never the other way round")
                .check(CLASSES);
    }

    @Test
    void training_charges_are_implemented_by_billing_alone() {
        classes().that().implement(RunCharges.class)
                .should().resideInAPackage("dev.runway.billing..")
                .check(CLASSES);
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
