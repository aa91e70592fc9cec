package dev.shipgate.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
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

    private static final Buffer HASH = Buffer.buffer(new byte[] {1, 2, 3});
    private static final Buffer LEGACY = Buffer.buffer(new byte[] {4, 5, 6});

    @Test
    @DisplayName("a repeat while the first request runs is a 409 that says when to retry, in seconds")
    void inProgressSaysWhenToRetry() {
        Problem problem = Idempotency.refusal(HASH, null, HASH, LEGACY, java.time.OffsetDateTime.parse("2026-12-01T10:00:15Z"));
        assertThat(problem.kind()).isEqualTo(ProblemType.REQUEST_IN_PROGRESS);
        assertThat(problem.status()).isEqualTo(409);
        assertThat(problem.extensions().getInteger("retry_after")).isEqualTo(Idempotency.RETRY_AFTER_SECONDS).isPositive();
        assertThat(problem.extensions().getString("claim_ends_at")).startsWith("2026-12-01T10:00:15");
    }

    @Test
    @DisplayName("a key whose claim vanished before it could be read is a 409 that says when to retry")
    void vanishedClaimSaysWhenToRetry() {
        Problem problem = Idempotency.refusal(null, null, HASH, LEGACY, null);
        assertThat(problem.status()).isEqualTo(409);
        assertThat(problem.extensions().getInteger("retry_after")).isPositive();
    }

    @Test
    @DisplayName("a key used with another request is a 422 that no retry fixes, so it names no retry time")
    void reusedKeyIsFinal() {
        Problem problem = Idempotency.refusal(Buffer.buffer(new byte[] {9}), 201, HASH, LEGACY, null);
        assertThat(problem.kind()).isEqualTo(ProblemType.IDEMPOTENCY_KEY_REUSED);
        assertThat(problem.extensions().containsKey("retry_after")).isFalse();
    }

    @Test
    @DisplayName("a key whose first request finished with the same request is replayed, not refused")
    void finishedKeyIsReplayed() {
        assertThat(Idempotency.refusal(HASH, 201, HASH, LEGACY, null)).isNull();
        assertThat(Idempotency.refusal(LEGACY, 201, HASH, LEGACY, null)).as("stored by an older version").isNull();
    }
}
