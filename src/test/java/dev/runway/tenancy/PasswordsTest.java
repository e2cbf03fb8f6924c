package dev.runway.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordsTest {

    @Test
    void common_passwords_are_refused_also_when_padded_or_repeated() {
        assertThat(Passwords.isCommon("aaaaaaaaaaaa")).isTrue();
        assertThat(Passwords.isCommon("password1234")).isTrue();
        assertThat(Passwords.isCommon("!!baseball2024")).isTrue();
        assertThat(Passwords.isCommon("abcabcabcabc")).isTrue();
        assertThat(Passwords.isCommon("1q2w3e4r5t")).isTrue();
        assertThat(Passwords.isCommon("correct horse battery")).isFalse();
        assertThat(Passwords.isCommon("tangerine-orbit-47")).isFalse();
    }
}
