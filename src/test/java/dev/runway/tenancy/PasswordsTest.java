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

    @Test
    void long_repeats_keyboard_runs_and_dressed_up_common_words_are_refused() {
        assertThat(Passwords.isCommon("passwordpassword")).isTrue();
        assertThat(Passwords.isCommon("iloveyouiloveyou")).isTrue();
        assertThat(Passwords.isCommon("qwertyuiopasdfgh")).isTrue();
        assertThat(Passwords.isCommon("1q2w3e4r5t6y")).isTrue();
        assertThat(Passwords.isCommon("abcdefghijklmnop")).isTrue();
        assertThat(Passwords.isCommon("123456789012")).isTrue();
        assertThat(Passwords.isCommon("0987654321qwerty")).isTrue();
        assertThat(Passwords.isCommon("monkey-monkey-monkey")).isTrue();
        assertThat(Passwords.isCommon("pass_word-2024!")).isTrue();
        assertThat(Passwords.isCommon("sunshine!!2024")).isTrue();
    }

    @Test
    void good_passphrases_and_random_passwords_are_still_accepted() {
        assertThat(Passwords.isCommon("correct horse battery staple")).isFalse();
        assertThat(Passwords.isCommon("purple-walrus-sings-opera")).isFalse();
        assertThat(Passwords.isCommon("q8#vL2m!xT9p")).isFalse();
        assertThat(Passwords.isCommon("839201746512")).isFalse();
        assertThat(Passwords.isCommon("sunshine 7301 9924 8817")).isFalse();
    }
}
