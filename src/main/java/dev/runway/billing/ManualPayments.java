package dev.runway.billing;

import dev.runway.base.BadInputException;
import jakarta.enterprise.context.ApplicationScoped;

/** "Mark paid": a member with the Billing role records a payment received outside Runway, with its reference. */
@ApplicationScoped
public class ManualPayments implements PaymentProvider {

    public static final int REFERENCE_MAX = 200;

    @Override
    public String name() {
        return "manual";
    }

    @Override
    public String confirm(Invoice invoice, String reference) {
        String ref = reference == null ? "" : reference.strip();
        if (ref.isEmpty() || ref.length() > REFERENCE_MAX) {
            throw new BadInputException("reference", "Enter the payment's reference (bank transfer id, up to "
                    + REFERENCE_MAX + " characters)");
        }
        return ref;
    }
}
