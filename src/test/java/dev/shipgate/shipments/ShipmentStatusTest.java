package dev.shipgate.shipments;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Shipment statuses")
class ShipmentStatusTest {

    @Test
    @DisplayName("the dashboard lists the same statuses as the API, in the same order")
    void dashboardAgrees() throws Exception {
        String ui = Files.readString(Path.of("webroot/app/ui.js"));
        Matcher list = Pattern.compile("export const STATUSES = \\[([^\\]]*)\\]", Pattern.DOTALL).matcher(ui);
        assertThat(list.find()).as("STATUSES in webroot/app/ui.js").isTrue();
        List<String> dashboard = new ArrayList<>();
        Matcher name = Pattern.compile("'([a-z_]+)'").matcher(list.group(1));
        while (name.find()) {
            dashboard.add(name.group(1));
        }
        assertThat(dashboard).isEqualTo(ShipmentStatus.wireNames());
    }

    @Test
    @DisplayName("wire names are EasyPost's: lower case with underscores, and unknown names are refused")
    void wireNames() {
        assertThat(ShipmentStatus.fromWire("out_for_delivery")).contains(ShipmentStatus.OUT_FOR_DELIVERY);
        assertThat(ShipmentStatus.fromWire("OUT_FOR_DELIVERY")).isEmpty();
        assertThat(ShipmentStatus.fromWire("lost")).isEmpty();
    }
}
