package dev.shipgate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Tests that need a tool from outside the JVM (nginx, Node.js): skipped with the reason printed where it
 * is missing, but failed in CI ({@code SHIPGATE_CI=1}), which must never skip them.
 */
final class RequiredTools {

    private RequiredTools() {
    }

    static void require(String what, String shellCheck, String howToInstall) throws Exception {
        boolean present = new ProcessBuilder("sh", "-c", shellCheck).start().waitFor() == 0;
        if (!present && "1".equals(System.getenv("SHIPGATE_CI"))) {
            throw new AssertionError(what + " is required in CI; " + howToInstall);
        }
        if (!present) {
            System.out.println("skipped: " + what + " is not installed (" + howToInstall + ")");
        }
        assumeTrue(present, what + " is not installed");
    }

    /**
     * Node.js with the npm packages of {@code dir}'s package.json, installed there (git ignores
     * node_modules) when any of {@code packages} is missing.
     */
    static void requireNpmPackages(Path dir, String... packages) throws Exception {
        require("Node.js", "command -v node && command -v npm", "needed by the tests in " + dir);
        if (Arrays.stream(packages).allMatch(p -> Files.isDirectory(dir.resolve("node_modules").resolve(p)))) {
            return;
        }
        // Output to a file: the test JVM's own stdout is surefire's channel and must not be written to.
        File log = File.createTempFile("npm-install", ".log");
        Process install = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund")
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log).start();
        assertThat(install.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(install.exitValue()).as("npm install in " + dir + ":\n" + Files.readString(log.toPath())).isZero();
    }
}
