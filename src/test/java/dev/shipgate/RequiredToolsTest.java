package dev.shipgate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shipgate.RequiredTools.Tool;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;

@DisplayName("Tests that need nginx, Chromium or Node.js")
class RequiredToolsTest {

    @Test
    @DisplayName("are skipped, before their setup runs, with what is missing and how to install it")
    void skippedWithReason() {
        ConditionEvaluationResult result = RequiredTools.evaluate(List.of(Tool.NGINX, Tool.CHROMIUM, Tool.NODE),
                tool -> tool == Tool.NGINX, Map.of());

        assertThat(result.isDisabled()).isTrue();
        assertThat(result.getReason()).hasValue("Chromium is not installed (Debian: apt-get install -y chromium; .ci/run installs it); "
                + "Node.js 20 or newer is not installed (Debian: apt-get install -y nodejs npm, Node.js 20 or newer; .ci/run installs it)");
    }

    @Test
    @DisplayName("fail in CI (SHIPGATE_CI=1) instead of being skipped")
    void failInCi() {
        assertThatThrownBy(() -> RequiredTools.evaluate(List.of(Tool.NGINX), tool -> false, Map.of("SHIPGATE_CI", "1")))
                .isInstanceOf(AssertionError.class)
                .hasMessage("required in CI (SHIPGATE_CI=1), never skipped: nginx is not installed "
                        + "(Debian: apt-get install -y nginx; .ci/run installs it)");
    }

    @Test
    @DisplayName("run when every tool is installed")
    void runWhenPresent() {
        assertThat(RequiredTools.evaluate(List.of(Tool.NGINX, Tool.NODE), tool -> true, Map.of("SHIPGATE_CI", "1")).isDisabled())
                .isFalse();
    }
}
