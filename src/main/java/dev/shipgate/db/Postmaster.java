package dev.shipgate.db;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL server running on a data directory, as the server itself records it in
 * {@code postmaster.pid} (pid, data directory, port, listen address, status). A pid read there is only
 * trusted after checking that the process is a {@code postgres} working in that directory: after a crash
 * the pid may belong to anything.
 */
record Postmaster(long pid, Path dataDir, int port, String host, String status) {

    /** The server running on {@code dataDir}, if its postmaster.pid names a live postgres of that directory. */
    static Optional<Postmaster> running(Path dataDir) {
        Path pidFile = dataDir.resolve("postmaster.pid");
        List<String> lines;
        try {
            lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (lines.size() < 4) {
            return Optional.empty();
        }
        try {
            long pid = Long.parseLong(lines.get(0).trim());
            int port = Integer.parseInt(lines.get(3).trim());
            String host = lines.size() > 5 && !lines.get(5).isBlank() && !lines.get(5).trim().equals("*")
                    ? lines.get(5).trim() : "127.0.0.1";
            String status = lines.size() > 7 ? lines.get(7).trim() : "";
            return servesDirectory(pid, dataDir) ? Optional.of(new Postmaster(pid, dataDir, port, host, status)) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Whether {@code pid} is a live postgres process (server or backend) working in {@code dataDir}. */
    static boolean servesDirectory(long pid, Path dataDir) {
        Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (process.isEmpty()) {
            return false;
        }
        Optional<String> command = process.get().info().command();
        if (command.isPresent() && !Path.of(command.get()).getFileName().toString().equals("postgres")) {
            return false;
        }
        Path cwd = Path.of("/proc", Long.toString(pid), "cwd");
        try {
            if (Files.exists(cwd)) {
                return command.isPresent() && Files.isSameFile(Files.readSymbolicLink(cwd), dataDir);
            }
        } catch (IOException e) {
            return false;
        }
        // No /proc (macOS): the -D argument, where the platform shows it.
        String[] args = process.get().info().arguments().orElse(new String[0]);
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("-D") && Path.of(args[i + 1]).toAbsolutePath().normalize().equals(dataDir.toAbsolutePath().normalize())) {
                return command.isPresent();
            }
        }
        return false;
    }

    /**
     * Postgres processes still working in {@code dataDir}: after its server was killed, its backends live
     * on until they notice, and a new server refuses to start while they hold the old shared memory.
     */
    static List<ProcessHandle> processesIn(Path dataDir) {
        if (!Files.isDirectory(Path.of("/proc"))) {
            return List.of();
        }
        return ProcessHandle.allProcesses()
                .filter(p -> p.pid() != ProcessHandle.current().pid())
                .filter(p -> servesDirectory(p.pid(), dataDir))
                .toList();
    }

    /** Waits up to {@code timeout} for the processes left in {@code dataDir} to exit; whether none is left. */
    static boolean awaitNoProcessesIn(Path dataDir, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (processesIn(dataDir).isEmpty()) {
                return true;
            }
            sleep(100);
        }
        return processesIn(dataDir).isEmpty();
    }

    boolean alive() {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /**
     * Stops the server: a fast shutdown first (SIGINT, what {@code pg_ctl stop -m fast} sends: sessions
     * ended, a clean checkpoint), then an immediate one (SIGQUIT: recovery at the next start) if it is still
     * there after {@code fast}. Returns whether it is gone.
     */
    boolean stop(Duration fast, Duration immediate) {
        signal("INT");
        if (awaitExit(fast)) {
            return true;
        }
        signal("QUIT");
        return awaitExit(immediate);
    }

    boolean awaitExit(Duration timeout) {
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty()) {
            return true;
        }
        try {
            process.get().onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            return !alive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !alive();
        }
    }

    private void signal(String name) {
        try {
            new ProcessBuilder("kill", "-s", name, Long.toString(pid))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new IllegalStateException("cannot signal PostgreSQL (pid " + pid + "): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
