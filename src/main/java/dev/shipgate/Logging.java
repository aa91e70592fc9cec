package dev.shipgate;

import dev.shipgate.config.ShipgateConfig;

/** Chooses the log format before the first logger exists: JSON lines for machines, text for people. */
final class Logging {

    private Logging() {
    }

    static void configure(ShipgateConfig.LogFormat format) {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile",
                    format == ShipgateConfig.LogFormat.TEXT ? "logback-text.xml" : "logback-json.xml");
        }
    }
}
