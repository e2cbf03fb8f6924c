package dev.runway.base.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runway.base.BadInputException;
import dev.runway.base.NotFoundException;
import org.junit.jupiter.api.Test;

class MessagesTest {

    @Test
    void a_refusal_that_quotes_a_server_file_is_shown_without_its_path() {
        assertThat(Messages.describe(new BadInputException("file", "The file /srv/runway/data/storage/tmp/up-1.csv "
                + "could not be read"))).isEqualTo("The file a stored file could not be read");
        assertThat(Messages.describe(new BadInputException(null, "Enter a learning rate between 0 and 1")))
                .isEqualTo("Enter a learning rate between 0 and 1");
    }

    @Test
    void an_unexpected_error_gets_the_generic_sentence() {
        assertThat(Messages.describe(new IllegalStateException("/srv/runway/secret/x")))
                .startsWith("Something went wrong on our side");
        assertThat(Messages.describe(new NotFoundException("Run"))).doesNotContain("/");
    }
}
