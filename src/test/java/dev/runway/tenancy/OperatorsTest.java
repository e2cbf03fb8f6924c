package dev.runway.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runway.testing.OperatorFixture;
import dev.runway.testing.TenancyFixture;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * Being named in runway.operators (the test profile names these emails) is not enough: the email must have been proven
 * by a mailed link, and two-factor sign-in must be on. Otherwise whoever may invite members could invite an
 * operator's email, accept through the link the inviter sees, and read every company.
 */
@QuarkusTest
class OperatorsTest {

    @Inject
    Operators operators;

    @Inject
    TenancyFixture tenancy;

    @Inject
    OperatorFixture fixture;

    @Test
    void an_account_made_by_accepting_an_invitation_to_an_operators_email_is_no_operator() {
        TenancyFixture.Company company = tenancy.company();
        Actor invited = tenancy.join(company, "invited-operator@runway.test", Role.ADMIN);
        fixture.twoFactorOn(invited);

        assertThat(TenantContext.runAs(invited, operators::isOperator)).isFalse();
    }

    @Test
    void an_operator_with_a_proven_email_is_one_only_once_two_factor_sign_in_is_on() {
        Actor unsecured = tenancy.signUp(new SignUpService.SignUp("Ops " + TenancyFixture.unique(),
                "ops-" + TenancyFixture.unique(), "Unsecured Operator", "unsecured-operator@runway.test"));
        assertThat(TenantContext.runAs(unsecured, operators::isOperator)).as("without two-factor").isFalse();

        fixture.twoFactorOn(unsecured);
        assertThat(TenantContext.runAs(unsecured, operators::isOperator)).as("with two-factor").isTrue();
    }

    @Test
    void someone_not_named_is_no_operator_whatever_they_proved() {
        TenancyFixture.Company company = tenancy.company();
        fixture.twoFactorOn(company.owner());

        assertThat(TenantContext.runAs(company.owner(), operators::isOperator)).isFalse();
    }
}
