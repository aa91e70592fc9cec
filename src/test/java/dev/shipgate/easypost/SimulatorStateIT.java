package dev.shipgate.easypost;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shipgate.config.EasyPostConfig;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built-in simulator keeps its account across restarts when it is given a state file. */
@DisplayName("The simulator's state survives a restart")
class SimulatorStateIT {

    final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        vertx.close();
    }

    EasyPostGateway start(Optional<Path> state) throws Exception {
        EasyPostConfig config = new EasyPostConfig(Optional.empty(), "https://api.easypost.com", Optional.empty(),
                Optional.empty(), 4, 16, 2_000, 10_000, 12_000, 400, 3, 20, GatewayIT.CALM);
        return GatewayIT.await(EasyPostGateway.start(vertx, config, state));
    }

    @Test
    @DisplayName("a shipment and its label bought before a restart are read back after it, from the state file written atomically")
    void shipmentsAndLabelsSurviveARestart(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("simulator").resolve("state.json");
        EasyPostGateway first = start(Optional.of(file));
        com.easypost.model.Shipment created = GatewayIT.await(first.call("create shipment", EasyPostGateway.Repeat.IF_NOT_APPLIED,
                c -> c.shipment.create(GatewayIT.shipmentParams())));
        String rate = created.getRates().get(0).getId();
        GatewayIT.await(first.call("buy label", EasyPostGateway.Repeat.IF_NOT_APPLIED,
                c -> c.shipment.buy(created.getId(), Map.<String, Object>of("rate", Map.of("id", rate)))));
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (!(Files.isRegularFile(file) && Files.readString(file).contains("postage_label\":{")) && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
        }
        assertThat(Files.readString(file)).contains(created.getId(), "postage_label\":{");
        assertThat(file.resolveSibling("state.json.tmp")).doesNotExist();
        first.close();

        EasyPostGateway second = start(Optional.of(file));
        com.easypost.model.Shipment back = GatewayIT.await(second.call("retrieve shipment", EasyPostGateway.Repeat.SAFE,
                c -> c.shipment.retrieve(created.getId())));
        assertThat(back.getPostageLabel()).isNotNull();
        assertThat(back.getSelectedRate().getId()).isEqualTo(rate);
        assertThat(second.simulator().orElseThrow().purchases(created.getId())).isEqualTo(1);
        second.close();

        EasyPostGateway memoryOnly = start(Optional.empty());
        Throwable unknown = GatewayIT.await(memoryOnly.call("retrieve shipment", EasyPostGateway.Repeat.SAFE,
                c -> c.shipment.retrieve(created.getId())).transform(ar -> io.vertx.core.Future.succeededFuture(ar.cause())));
        assertThat(EasyPostGateway.notFound(unknown)).as("without a state file the simulator starts empty").isTrue();
        memoryOnly.close();
    }
}
