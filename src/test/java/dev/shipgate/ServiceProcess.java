package dev.shipgate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The service as a separate JVM on the test classpath, for what only a real process shows (signals, kill -9). */
final class ServiceProcess implements AutoCloseable {

    final Process process;
    final Path log;
    final int port;

    private ServiceProcess(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    static ServiceProcess start(Path dir, String name, Map<String, String> env) throws IOException {
        int port = TestApp.freePort();
        Path log = dir.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.shipgate.Main")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().remove("DATABASE_URL");
        builder.environment().put("HTTP_PORT", String.valueOf(port));
        builder.environment().put("WORKERS", "2");
        builder.environment().putAll(env);
        return new ServiceProcess(builder.start(), log, port);
    }

    /** Waits for the startup banner; fails with the process output if it does not come. */
    List<String> awaitStarted() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline && process.isAlive()) {
            List<String> lines = lines();
            if (lines.stream().anyMatch(l -> l.startsWith("Shipgate listening"))) {
                return lines;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the service did not start:\n" + String.join("\n", lines()));
    }

    List<String> lines() throws IOException {
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            kill();
        }
    }
}
