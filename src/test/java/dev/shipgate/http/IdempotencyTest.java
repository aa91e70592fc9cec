package dev.shipgate.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Which outcomes an Idempotency-Key stores and replays")
class IdempotencyTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {200, 201, 202, 204, 303, 400, 401, 402, 403, 404, 410, 413, 415, 422})
    @DisplayName("a success, or a refusal a retry would meet again, is stored and replayed")
    void finalOutcomesStored(int status) {
        assertThat(Idempotency.storable(status)).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {408, 409, 425, 429, 500, 502, 503, 504, 599})
    @DisplayName("a timeout, conflict, too-early, rate limit or server failure is never stored: the retry runs again")
    void momentaryOutcomesNotStored(int status) {
        assertThat(Idempotency.storable(status)).isFalse();
    }
}
