package dev.shipgate;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waiting in tests: the condition is polled every few milliseconds, so a test goes on as soon as it holds
 * (no guessed sleep that is too long on a fast machine and too short on a busy one), and a wait that runs
 * out fails naming what never happened.
 */
public final class Await {

    private static final long POLL_MS = 20;

    private Await() {
    }

    /** Waits until {@code condition} holds; fails after {@code timeout} with "waited ... for {@code what}". */
    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        value(what, timeout, () -> condition.getAsBoolean(), done -> done);
    }

    /** Polls {@code value} until {@code done} accepts it, and returns that value; fails with the last one seen. */
    public static <T> T value(String what, Duration timeout, Supplier<T> value, Predicate<? super T> done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            T last = value.get();
            if (done.test(last)) {
                return last;
            }
            if (System.nanoTime() > deadline) {
                String seen = String.valueOf(last);
                throw new AssertionError("waited " + timeout.toMillis() + " ms for " + what + "; last seen: "
                        + (seen.length() > 2_000 ? seen.substring(0, 2_000) + "..." : seen));
            }
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
    }

    /** Waits until the bulk job is no longer running, and returns it with up to 10,000 items. */
    public static JsonObject job(Api api, String id, Duration timeout) {
        return value("bulk job " + id + " to finish", timeout,
                () -> api.get("/jobs/" + id + "?limit=10000").bodyAsJsonObject(),
                job -> !job.getJsonObject("job").getString("state").equals("running"));
    }
}
