package dev.shipgate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Tests that need a tool from outside the JVM (nginx, Chromium, Node.js): skipped with the reason printed
 * where it is missing, but failed in CI ({@code SHIPGATE_CI=1}), which must never skip them.
 *
 * <p>A class says what it needs with {@link Needs}, checked before its {@code @BeforeAll} runs: every test
 * of the class is then reported skipped. (An assumption that fails inside {@code @BeforeAll} aborts the
 * class, and surefire reports it as zero tests run and zero skipped, SUREFIRE-2300.) The reason goes to the
 * build's console, which the test JVM's own output does not reach.
 */
final class RequiredTools implements ExecutionCondition {

    /** A tool some tests need: how to tell it is there and how to get it. */
    enum Tool {
        NGINX("nginx", "command -v nginx", "Debian: apt-get install -y nginx; .ci/run installs it"),
        CHROMIUM("Chromium", "command -v chromium", "Debian: apt-get install -y chromium; .ci/run installs it"),
        NODE("Node.js 20 or newer", "command -v node && command -v npm && node -e 'process.exit(+process.versions.node.split(\".\")[0] >= 20 ? 0 : 1)'",
                "Debian: apt-get install -y nodejs npm, Node.js 20 or newer; .ci/run installs it");

        final String what;
        final String shellCheck;
        final String howToInstall;

        Tool(String what, String shellCheck, String howToInstall) {
            this.what = what;
            this.shellCheck = shellCheck;
            this.howToInstall = howToInstall;
        }

        boolean present() {
            try {
                return new ProcessBuilder("sh", "-c", shellCheck).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor() == 0;
            } catch (Exception e) {
                return false;
            }
        }
    }

    /** The tools every test of the annotated class needs. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    @ExtendWith(RequiredTools.class)
    @interface Needs {
        Tool[] value();
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Needs needs = context.getElement().map(e -> e.getAnnotation(Needs.class)).orElse(null);
        if (needs == null) {
            return ConditionEvaluationResult.enabled("needs no outside tool");
        }
        ConditionEvaluationResult result = evaluate(List.of(needs.value()), Tool::present, System.getenv());
        if (result.isDisabled()) {
            console().println("[WARNING] skipped " + context.getDisplayName() + ": " + result.getReason().orElse(""));
        }
        return result;
    }

    /** Enabled when every tool is present; otherwise disabled with the reason, or (in CI) a failure. */
    static ConditionEvaluationResult evaluate(List<Tool> tools, Predicate<Tool> present, Map<String, String> env) {
        List<Tool> missing = tools.stream().filter(present.negate()).toList();
        if (missing.isEmpty()) {
            return ConditionEvaluationResult.enabled("all needed tools are installed");
        }
        String reason = String.join("; ", missing.stream().map(t -> t.what + " is not installed (" + t.howToInstall + ")").toList());
        if ("1".equals(env.get("SHIPGATE_CI"))) {
            throw new AssertionError("required in CI (SHIPGATE_CI=1), never skipped: " + reason);
        }
        return ConditionEvaluationResult.disabled(reason);
    }

    /** The test JVM's own standard error, which surefire passes to the build's console as it is. */
    private static PrintStream console() {
        return new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
    }

    /** For code outside a {@link Needs} class: a failed assumption (or, in CI, a failure) when {@code tool} is missing. */
    static void require(Tool tool) {
        ConditionEvaluationResult result = evaluate(List.of(tool), Tool::present, System.getenv());
        assumeTrue(!result.isDisabled(), () -> result.getReason().orElse(tool.what + " is not installed"));
    }

    /** The same for a tool not in {@link Tool}: {@code shellCheck} exits 0 where it is installed. */
    static void require(String what, String shellCheck, String howToInstall) {
        boolean present;
        try {
            present = new ProcessBuilder("sh", "-c", shellCheck).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor() == 0;
        } catch (Exception e) {
            present = false;
        }
        String reason = what + " is not installed (" + howToInstall + ")";
        if (!present && "1".equals(System.getenv("SHIPGATE_CI"))) {
            throw new AssertionError("required in CI (SHIPGATE_CI=1), never skipped: " + reason);
        }
        if (!present) {
            console().println("[WARNING] skipped: " + reason);
        }
        assumeTrue(present, reason);
    }

    /**
     * The npm packages of {@code dir}'s package.json, installed there (git ignores node_modules) when any of
     * {@code packages} is missing. Needs Node.js: use it in a class that {@link Needs} {@link Tool#NODE}.
     */
    static void requireNpmPackages(Path dir, String... packages) throws Exception {
        require(Tool.NODE);
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
