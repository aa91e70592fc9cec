package dev.shipgate;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
}
