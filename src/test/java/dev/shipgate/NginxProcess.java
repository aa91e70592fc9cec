package dev.shipgate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** nginx started by the project's own {@code nginx/run.sh}, as an operator would, on a free port. */
final class NginxProcess implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path prefix;

    private NginxProcess(Process process, int port, Path prefix) {
        this.process = process;
        this.port = port;
        this.prefix = prefix;
    }

    /**
     * Starts nginx serving {@code webroot} in front of {@code upstreams} ("host:port host:port").
     *
     * <p>It counts as started once its own master process has written its pid file (nginx writes it only after
     * binding every listening socket) and the port accepts connections: a port that merely accepts might belong to
     * another process that took it between {@link TestApp#freePort()} and nginx's bind, in which case nginx
     * exits with "Address already in use" and is started again on another port.
     */
    static NginxProcess start(Path dir, Path webroot, String upstreams, Map<String, String> settings) throws Exception {
        RequiredTools.require("nginx", "command -v nginx", "Debian: apt-get install -y nginx; .ci/run installs it");
        for (int attempt = 1; ; attempt++) {
            int port = TestApp.freePort();
            Path out = dir.resolve("nginx.out");
            ProcessBuilder builder = new ProcessBuilder("bash", "nginx/run.sh").redirectErrorStream(true)
                    .redirectOutput(out.toFile());
            builder.environment().put("NGINX_LISTEN", "127.0.0.1:" + port);
            builder.environment().put("SHIPGATE_UPSTREAMS", upstreams);
            builder.environment().put("WEBROOT", webroot.toAbsolutePath().toString());
            builder.environment().put("NGINX_PREFIX", dir.resolve("prefix").toString());
            builder.environment().putAll(settings);
            Process process = builder.start();
            Path pidFile = dir.resolve("prefix").resolve("nginx.pid");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!(ownPid(pidFile, process) && TestApp.listening(port))) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    process.destroy();
                    process.waitFor(10, TimeUnit.SECONDS);
                    String output = Files.readString(out);
                    if (attempt < 3 && output.contains("Address already in use")) {
                        break;
                    }
                    throw new AssertionError("nginx did not start:\n" + output);
                }
                Thread.sleep(100);
            }
            if (process.isAlive()) {
                return new NginxProcess(process, port, dir.resolve("prefix"));
            }
        }
    }

    /** Whether {@code pidFile} names {@code process} (run.sh ends in {@code exec nginx}, so the pids are one). */
    private static boolean ownPid(Path pidFile, Process process) {
        try {
            return Files.isRegularFile(pidFile) && Files.readString(pidFile).trim().equals(Long.toString(process.pid()));
        } catch (IOException e) {
            return false;
        }
    }

    int port() {
        return port;
    }

    /** The access log so far, one JSON object per request (see nginx.conf.template's log_format). */
    List<String> accessLog() {
        Path log = prefix.resolve("logs").resolve("access.log");
        try {
            return Files.exists(log) ? Files.readAllLines(log) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
