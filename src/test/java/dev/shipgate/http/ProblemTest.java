package dev.shipgate.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Problem details")
class ProblemTest {

    @Test
    @DisplayName("an extension cannot take the name of an RFC 9457 member, so status stays the number")
    void reservedMembers() {
        for (String member : new String[] {"type", "title", "status", "detail", "instance"}) {
            assertThatThrownBy(() -> Problem.of(ProblemType.APPROVAL_DECIDED, "decided").with(member, "approved"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(member);
        }
        assertThat(Problem.of(ProblemType.APPROVAL_DECIDED, "decided").with("approval_status", "approved").toJson()
                .getValue("status")).isEqualTo(409);
    }
}
