package dev.runway.billing;

/**
 * Where an invoice's payment comes from. Runway ships {@link ManualPayments} (a member records a bank transfer); a
 * card processor would be another implementation that confirms a real payment before answering.
 */
public interface PaymentProvider {

    /** A short name stored with the payment, e.g. "manual". */
    String name();

    /**
     * Confirms that {@code invoice} is paid, with the reference the member entered (or the provider's own), and
     * returns the reference to store. Throws {@link dev.runway.base.BadInputException} when it cannot confirm.
     */
    String confirm(Invoice invoice, String reference);
}
