package dev.shipgate.config;

/** A setting the operator must fix; its message names the setting and says what is accepted. */
public final class ConfigException extends RuntimeException {

    public ConfigException(String message) {
        super(message, null, false, false);
    }
}
