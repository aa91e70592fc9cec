package dev.shipgate;

import java.util.Map;
import org.junit.jupiter.api.DisplayName;

@DisplayName("EasyPost answers whose headers come before their body, in a separate write")
class SplitWriteIT extends WireScenario {

    @Override
    Map<String, String> writePattern() {
        return Map.of("EASYPOST_SIMULATOR_SPLIT_WRITES", "true");
    }
}
