package dev.shipgate.db;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DatabaseUnreachableTest {

    @Test
    @DisplayName("the password is starred out where it stands as a word, never inside other words")
    void passwordStarredAsAWordOnly() {
        assertThat(DatabaseUnreachable.withoutPassword("An error occurred while setting up the SSL connection.", "p"))
                .as("a one-letter password mangled the driver's message").isEqualTo("An error occurred while setting up the SSL connection.");
        assertThat(DatabaseUnreachable.withoutPassword("password \"hunter2\" is wrong for hunter2", "hunter2"))
                .isEqualTo("password \"********\" is wrong for ********");
        assertThat(DatabaseUnreachable.withoutPassword("s3cret.PW+ was refused", "s3cret.PW+")).isEqualTo("******** was refused");
        assertThat(DatabaseUnreachable.withoutPassword("nothing to hide", "")).isEqualTo("nothing to hide");
    }
}
