package dev.shipgate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The service as a separate JVM on the test classpath, for what only a real process shows (signals,
 * kill -9, a CLI command beside it). Its standard output (the banner) and standard error (the logs) go
 * to one file, in order.
 */
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
        ProcessBuilder builder = java("dev.shipgate.Main")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().remove("DATABASE_URL");
        builder.environment().put("HTTP_PORT", String.valueOf(port));
        builder.environment().put("WORKERS", "2");
        builder.environment().putAll(env);
        return new ServiceProcess(builder.start(), log, port);
    }

    /** What a CLI command printed: its standard output and standard error apart, and its exit code. */
    record CommandResult(int exitCode, List<String> stdout, List<String> stderr) {
    }

    /** Runs {@code java -jar shipgate.jar ARGS} (on the test classpath) with {@code env}, waiting up to two minutes. */
    static CommandResult command(Path dir, Map<String, String> env, String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "cli", ".out");
        Path err = Files.createTempFile(dir, "cli", ".err");
        List<String> command = new ArrayList<>(List.of("dev.shipgate.Main"));
        command.addAll(List.of(args));
        ProcessBuilder builder = java(command.toArray(String[]::new)).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().remove("DATABASE_URL");
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            throw new AssertionError("shipgate " + String.join(" ", args) + " did not end within 120 s:\n"
                    + String.join("\n", Files.readAllLines(err)));
        }
        return new CommandResult(process.exitValue(), Files.readAllLines(out), Files.readAllLines(err));
    }

    private static ProcessBuilder java(String... mainAndArgs) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path")));
        command.addAll(List.of(mainAndArgs));
        return new ProcessBuilder(command);
    }

    /** Waits for the startup banner; fails with the process output if it does not come. */
    List<String> awaitStarted() throws IOException, InterruptedException {
        return awaitStarted(90);
    }

    /** As {@link #awaitStarted()}, waiting up to {@code seconds} (a test that starts the service twice on a busy machine). */
    List<String> awaitStarted(int seconds) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
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

    /** kill -9: no shutdown hook runs. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, as an operator stops it; kill -9 if it has not ended after a minute. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
