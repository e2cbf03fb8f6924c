package dev.runway.base;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Checks a form record's Bean Validation constraints in a service, where the console's forms and other callers meet.
 * The first broken constraint, in the record's field order, becomes a {@link BadInputException} naming its field, so
 * that the page shows it at that field as it does every other refusal.
 */
@ApplicationScoped
public class FormChecks {

    @Inject
    Validator validator;

    public <T extends Record> T check(T form) {
        Set<ConstraintViolation<T>> violations = validator.validate(form);
        if (violations.isEmpty()) {
            return form;
        }
        List<String> order = Arrays.stream(form.getClass().getRecordComponents()).map(RecordComponent::getName)
                .toList();
        ConstraintViolation<T> first = violations.stream()
                .min(Comparator.comparingInt(v -> order.indexOf(v.getPropertyPath().toString())))
                .orElseThrow();
        throw new BadInputException(first.getPropertyPath().toString(), first.getMessage());
    }
}
