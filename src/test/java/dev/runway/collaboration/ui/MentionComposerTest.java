package dev.runway.collaboration.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runway.collaboration.CommentService;
import org.junit.jupiter.api.Test;

/** When "@" before the caret starts a mention, and which members a query offers. */
class MentionComposerTest {

    private static final CommentService.Mentionable ANA = new CommentService.Mentionable(1, "Ana Silva",
            "ana@example.com");
    private static final CommentService.Mentionable WANG = new CommentService.Mentionable(2, "王小明",
            "wang@example.com");

    private static int start(String textWithCaret) {
        int caret = textWithCaret.indexOf('|');
        return MentionComposer.mentionStart(textWithCaret.replace("|", ""), caret);
    }

    @Test
    void an_at_sign_starts_a_mention_at_the_start_after_a_space_a_bracket_or_a_quote_mark() {
        assertThat(start("@an|")).isZero();
        assertThat(start("hi @an|")).isEqualTo(3);
        assertThat(start("hi (@|")).isEqualTo(4);
        assertThat(start("> @王|")).isEqualTo(2);
        assertThat(start("cc @Ana Si|")).isEqualTo(3);
    }

    @Test
    void an_email_a_finished_mention_a_new_line_or_a_long_way_back_start_none() {
        assertThat(start("mail ana@exa|")).isEqualTo(-1);
        assertThat(start("@[Ana Silva](user:1) and|")).isEqualTo(-1);
        assertThat(start("@[Ana|")).isEqualTo(-1);
        assertThat(start("@ana\nnext|")).isEqualTo(-1);
        assertThat(start("@" + "x".repeat(60) + "|")).isEqualTo(-1);
        assertThat(start("no at sign|")).isEqualTo(-1);
    }

    @Test
    void members_match_by_name_any_word_of_it_or_email_in_any_script() {
        assertThat(MentionComposer.matches(ANA, "")).isTrue();
        assertThat(MentionComposer.matches(ANA, "ana")).isTrue();
        assertThat(MentionComposer.matches(ANA, "sil")).isTrue();
        assertThat(MentionComposer.matches(ANA, "ana s")).isTrue();
        assertThat(MentionComposer.matches(ANA, "ana@")).isTrue();
        assertThat(MentionComposer.matches(ANA, "lva")).isFalse();
        assertThat(MentionComposer.matches(ANA, " ")).isFalse();
        assertThat(MentionComposer.matches(WANG, "王")).isTrue();
        assertThat(MentionComposer.matches(WANG, "王小")).isTrue();
        assertThat(MentionComposer.matches(WANG, "小明")).isTrue();
        assertThat(MentionComposer.matches(WANG, "李")).isFalse();
        assertThat(MentionComposer.matches(WANG, "wang")).isTrue();
    }
}
