package dev.shipgate;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** nginx started by the project's own {@code nginx/run.sh}, as an operator would, on a free port. */
final class NginxProcess implements AutoCloseable {

    private final Process process;
    private final int port;

    private NginxProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts nginx serving {@code webroot} in front of {@code upstreams} ("host:port host:port"). */
    static NginxProcess start(Path dir, Path webroot, String upstreams, Map<String, String> settings) throws Exception {
        RequiredTools.require("nginx", "command -v nginx", "Debian: apt-get install -y nginx; .ci/run installs it");
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
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!listening(port)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroy();
                throw new AssertionError("nginx did not start:\n" + Files.readString(out));
            }
            Thread.sleep(100);
        }
        return new NginxProcess(process, port);
    }

    static boolean listening(int port) {
        try (Socket ignored = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    int port() {
        return port;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor(10, TimeUnit.SECONDS);
    }
}
