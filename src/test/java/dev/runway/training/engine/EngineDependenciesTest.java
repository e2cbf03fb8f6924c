package dev.runway.training.engine;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The engine is a plain function of prepared arrays: the runs feature reads the dataset and prepares them. */
class EngineDependenciesTest {

    private static final JavaClasses ENGINE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.runway.training.engine");

    @Test
    void the_engine_reads_no_csv_and_uses_no_dataset_type() {
        noClasses().that().resideInAPackage("dev.runway.training.engine..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.runway.dataset..", "de.siegmar.fastcsv..",
                        "org.apache.commons.csv..")
                .because("DjlRunWork prepares the arrays (TrainingData); the engine trains on them")
                .check(ENGINE);
    }

    @Test
    void the_engine_uses_no_other_feature_and_no_container() {
        noClasses().that().resideInAPackage("dev.runway.training.engine..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.runway.training", "dev.runway.tenancy..",
                        "dev.runway.billing..", "dev.runway.budget..", "dev.runway.model..", "jakarta.persistence..",
                        "jakarta.enterprise..", "jakarta.inject..")
                .check(ENGINE);
    }
}
