package dev.shipgate.shipments;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A creation not stored yet is explained in the words of whoever asked for it")
class RetryAdviceTest {

    @Test
    @DisplayName("a bulk item is not told to retry with an Idempotency-Key; an API request with one is")
    void adviceFitsTheSource() {
        assertThat(LabelService.retryAdvice("bulk:6f1c:15")).doesNotContain("Idempotency-Key").contains("bulk item");
        assertThat(LabelService.retryAdvice("key:abc")).contains("Idempotency-Key");
        assertThat(LabelService.retryAdvice("return:6f1c")).doesNotContain("Idempotency-Key");
        assertThat(LabelService.retryAdvice("request:6f1c")).doesNotContain("Idempotency-Key");
    }
}
