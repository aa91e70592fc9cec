package dev.shipgate.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shipgate.http.Problem;
import dev.shipgate.http.ProblemType;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("How long a bulk item waits when EasyPost did not act on its call")
class BulkWaitTest {

    static final Problem RATE_LIMIT = Problem.of(ProblemType.EASYPOST_RATE_LIMIT, "EasyPost is rate limiting").retryAfter(2);
    static final Problem BREAKER_OPEN = Problem.of(ProblemType.EASYPOST_UNAVAILABLE, "calls are paused").retryAfter(10);

    @Test
    @DisplayName("a rate limit doubles its Retry-After with every wait of the item, up to a minute, plus up to a second of spread")
    void rateLimitBacksOff() {
        double[] expected = {2, 4, 8, 16, 32, 60, 60, 60};
        for (int waits = 0; waits < expected.length; waits++) {
            double seconds = BulkWorker.waitSeconds(RATE_LIMIT, true, waits);
            assertThat(seconds).as("after %d waits", waits).isBetween(expected[waits], expected[waits] + 1);
        }
    }

    @Test
    @DisplayName("an open breaker or a full queue waits its Retry-After however often the item waited: calls go out as soon as it ends")
    void pausedCallsWaitTheirRetryAfter() {
        for (int waits = 0; waits < 8; waits++) {
            assertThat(BulkWorker.waitSeconds(BREAKER_OPEN, false, waits)).isBetween(10.0, 11.0);
        }
        Problem noHint = Problem.of(ProblemType.EASYPOST_BUSY, "queue full");
        assertThat(BulkWorker.waitSeconds(noHint, false, 3)).isBetween(1.0, 2.0);
    }
}
