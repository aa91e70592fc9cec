package dev.shipgate.easypost;

import com.easypost.exception.APIException;
import io.vertx.core.AsyncResult;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether EasyPost refuses this service's API key. A 401 or 403 is EasyPost's answer that it did nothing
 * (so it rightly never opens the circuit breaker), but while the key is refused every call fails: an
 * operator must see it in {@code /health} and in the log. The episode starts at the first 401/403 and
 * ends when a call succeeds or EasyPost answers with another client error (which it gives only to a key
 * it accepted: a 404, a 422, ...). The log says so once when an episode starts and once when it ends,
 * never per call. The key itself is never written anywhere, nor EasyPost's message (which could quote it).
 */
final class KeyRefusal {

    private static final Logger LOG = LoggerFactory.getLogger(KeyRefusal.class);

    /** One episode: the first refusal's status and error code, and when it came (UTC). */
    record Episode(int status, String code, Instant since) {

        /** The sentence {@code /health} and the log show; names the setting, never the key. */
        String error() {
            return "EasyPost refused the API key (" + status + (code == null || code.isBlank() ? "" : " " + code)
                    + "); every call fails until EASYPOST_API_KEY is corrected";
        }
    }

    private final AtomicReference<Episode> current = new AtomicReference<>();

    /** Takes the outcome of one call as EasyPost (or the breaker, or the queue) ended it. */
    void observe(AsyncResult<?> outcome) {
        if (outcome.succeeded()) {
            accepted();
            return;
        }
        Integer status = Failures.status(outcome.cause());
        if (status == null) {
            return;
        }
        if (Failures.keyRefused(outcome.cause())) {
            Episode episode = new Episode(status, ((APIException) outcome.cause()).getCode(), Instant.now());
            if (current.compareAndSet(null, episode)) {
                LOG.warn("{}; /health shows easypost DOWN until a call succeeds", episode.error());
            }
        } else if (!Failures.upstream(outcome.cause())) {
            accepted();
        }
    }

    private void accepted() {
        Episode ended = current.getAndSet(null);
        if (ended != null) {
            LOG.info("EasyPost accepts the API key again (refused since {})", ended.since());
        }
    }

    /** The refusal going on now, if any. */
    Optional<Episode> current() {
        return Optional.ofNullable(current.get());
    }
}
