package dev.shipgate;

import java.util.Map;
import org.junit.jupiter.api.DisplayName;

@DisplayName("EasyPost answers whose body trickles in, in small pieces a few milliseconds apart")
class TrickleWriteIT extends WireScenario {

    @Override
    Map<String, String> writePattern() {
        return Map.of("EASYPOST_SIMULATOR_TRICKLE_MS", "2");
    }
}
