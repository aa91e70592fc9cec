package dev.shipgate.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Webhook endpoint URLs: what is wrong with one is said as it is")
class TargetGuardTest {

    final Vertx vertx = Vertx.vertx();
    final TargetGuard guard = new TargetGuard(vertx, false);

    @AfterEach
    void close() {
        vertx.close();
    }

    @Test
    @DisplayName("a port that is not a number is named as such (it was 'must be an absolute URL with a host')")
    void portNotANumber() {
        assertThatThrownBy(() -> guard.parse("https://hooks.example.com:abc/shipgate"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("has port 'abc', which is not a number");
    }

    @Test
    @DisplayName("user info and a missing host keep their message; a good URL keeps its port")
    void otherCases() {
        assertThatThrownBy(() -> guard.parse("https://u:p@hooks.example.com/x")).hasMessageContaining("without user info");
        assertThatThrownBy(() -> guard.parse("https:///x")).hasMessageContaining("with a host");
        assertThat(guard.parse("https://hooks.example.com:8443/x").port()).isEqualTo(8443);
    }
}
