package dev.shipgate.config;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Refuses a start whose port is taken before anything is started on it. Without this check a busy
 * {@code DATABASE_EMBEDDED_PORT} made the embedded PostgreSQL fail with "started but wrote no postmaster.pid"
 * (its own server never came up; the port's owner did), and a busy {@code HTTP_PORT} failed only after the
 * database, pools and EasyPost client had started.
 */
public final class Ports {

    private Ports() {
    }

    /**
     * Fails with a {@link ConfigException} naming the port and {@code setting} when something already listens
     * on {@code host:port}. Port 0 (any free port) always passes. Binds and releases a socket at once; a
     * program that takes the port in the moment between still makes the later start fail, less clearly.
     */
    public static void requireFree(String host, int port, String setting) {
        if (port == 0) {
            return;
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(host, port));
        } catch (IOException e) {
            if (!(e instanceof java.net.BindException) || e.getMessage() == null || !e.getMessage().contains("in use")) {
                return; // not a busy port (an address this machine does not have, ...): the start itself says so
            }
            throw new ConfigException("port " + port + " (" + setting + ") is already in use on " + host
                    + ": stop what listens there, or set " + setting + " to a free port");
        }
    }
}
