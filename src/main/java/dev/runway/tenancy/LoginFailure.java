package dev.runway.tenancy;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One failed login for an email address, known or not; login throttling counts them. */
@Entity
@Table(name = "login_failure")
class LoginFailure {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false, length = 254)
    private String email;

    @Column(name = "attempted_at", nullable = false)
    private Instant attemptedAt;

    protected LoginFailure() {}

    LoginFailure(String email, Instant attemptedAt) {
        this.email = email;
        this.attemptedAt = attemptedAt;
    }
}
