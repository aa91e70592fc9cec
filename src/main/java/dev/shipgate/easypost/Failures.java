package dev.shipgate.easypost;

import com.easypost.exception.API.HttpError;
import com.easypost.exception.APIException;
import com.easypost.model.FieldError;
import dev.shipgate.http.Problem;
import dev.shipgate.http.ProblemType;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.circuitbreaker.TimeoutException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * How EasyPost's failures are judged: which ones mean EasyPost is unwell (they trip the breaker and may
 * be retried), which ones are the caller's fault, and which problem each becomes for our clients.
 */
final class Failures {

    /** The executor's queue is full: callers beyond the cap are refused fast instead of piling up. */
    static final class Saturated extends RuntimeException {
        Saturated() {
            super("EasyPost call queue is full", null, false, false);
        }
    }

    private Failures() {
    }

    static Integer status(Throwable t) {
        return t instanceof APIException api ? api.getStatusCode() : null;
    }

    /** 5xx, 408, 429, timeouts, connection failures and lost answers say EasyPost (or the way to it) is unwell. */
    static boolean upstream(Throwable t) {
        if (t instanceof Saturated) {
            return false;
        }
        if (t instanceof AnswerLostException) {
            return true;
        }
        Integer status = status(t);
        if (status == null) {
            return t instanceof HttpError || t instanceof TimeoutException || !(t instanceof APIException);
        }
        return status >= 500 || status == 408 || status == 429;
    }

    /**
     * Failures that say EasyPost (or the way to it) is down, and so count towards opening the breaker: every
     * {@link #upstream} failure except a 429. A 429 is an answer: EasyPost is up and asks for fewer calls
     * ("RATE_LIMITED", EasyPost's API docs on rate limiting). Those calls are retried with a longer backoff,
     * but they do not pause every caller's calls for the breaker's reset time: at a 20% rate of 429s, five of
     * them in a row opened the breaker often enough to stretch a bulk job from seconds to minutes.
     */
    static boolean outage(Throwable t) {
        Integer status = status(t);
        return upstream(t) && (status == null || status != 429);
    }

    /**
     * The call never left this service: the breaker was open or the executor's queue was full. Nothing was
     * sent, so nothing needs reading back, and the problem's Retry-After says when calls go out again.
     */
    static boolean notSent(Throwable t) {
        return t instanceof Saturated || t instanceof OpenCircuitException;
    }

    /**
     * EasyPost surely did not act on the call: it was never sent (a full queue, an open breaker, a refused
     * connection or a failed TLS handshake), or EasyPost said it did not act (429 rate limit, 401, 403).
     * Such a call may be repeated even when it creates or spends.
     */
    static boolean notApplied(Throwable t) {
        if (notSent(t)) {
            return true;
        }
        Integer status = status(t);
        if (status != null) {
            return status == 429 || keyRefused(t);
        }
        if (t instanceof HttpError) {
            for (Throwable cause = t.getCause(); cause != null; cause = cause.getCause()) {
                if (cause instanceof java.net.ConnectException || cause instanceof java.net.UnknownHostException
                        || cause instanceof javax.net.ssl.SSLHandshakeException) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * EasyPost refused the API key: 401 (EasyPost's {@code APIKEY.INACTIVE}, an unknown or revoked key) or 403
     * (the key may not make this call). Not an outage (the breaker stays closed) and not worth repeating.
     */
    static boolean keyRefused(Throwable t) {
        Integer status = status(t);
        return status != null && (status == 401 || status == 403);
    }

    /** Worth another attempt on a call that is safe to repeat. */
    static boolean retryable(Throwable t) {
        return upstream(t) && !(t instanceof OpenCircuitException);
    }

    static Problem toProblem(Throwable t, int breakerResetSeconds) {
        if (t instanceof Saturated) {
            return Problem.of(ProblemType.EASYPOST_BUSY, "too many EasyPost calls are waiting; retry shortly").retryAfter(1);
        }
        if (t instanceof OpenCircuitException) {
            return Problem.of(ProblemType.EASYPOST_UNAVAILABLE,
                    "EasyPost has been failing; calls are paused until a trial call succeeds (one goes out every "
                            + breakerResetSeconds + " s)").retryAfter(breakerResetSeconds);
        }
        if (t instanceof TimeoutException) {
            return Problem.of(ProblemType.EASYPOST_TIMEOUT, "EasyPost did not answer in time");
        }
        if (t instanceof AnswerLostException lost) {
            return Problem.of(ProblemType.EASYPOST_ANSWER_LOST, "EasyPost's answer to " + lost.operation()
                    + " was lost or unreadable; the call may have taken effect at EasyPost");
        }
        Integer status = status(t);
        if (status == null) {
            return Problem.of(ProblemType.EASYPOST_UNREACHABLE,
                    "the call to EasyPost failed: " + t.getClass().getSimpleName()).withStatus(t instanceof HttpError ? 504 : 502);
        }
        APIException api = (APIException) t;
        JsonObject upstream = new JsonObject().put("status", status).put("code", api.getCode())
                .put("message", api.getMessage()).put("errors", fieldErrors(api.getErrors()));
        Problem problem = switch (status) {
            case 400, 422 -> Problem.of(ProblemType.REJECTED_BY_EASYPOST, api.getMessage());
            case 402 -> Problem.of(ProblemType.PAYMENT_REQUIRED, api.getMessage());
            case 429 -> Problem.of(ProblemType.EASYPOST_RATE_LIMIT, "EasyPost is rate limiting; retry shortly").retryAfter(2);
            case 408, 504 -> Problem.of(ProblemType.EASYPOST_TIMEOUT, "EasyPost did not answer in time");
            case 503 -> Problem.of(ProblemType.EASYPOST_UNAVAILABLE, "EasyPost is unavailable; retry shortly").retryAfter(5);
            default -> Problem.of(ProblemType.EASYPOST_ERROR, "EasyPost answered " + status + ": " + api.getMessage());
        };
        return problem.with("easypost", upstream);
    }

    private static JsonArray fieldErrors(List<Object> errors) {
        JsonArray out = new JsonArray();
        if (errors == null) {
            return out;
        }
        for (Object e : errors) {
            if (e instanceof FieldError f) {
                out.add(new JsonObject().put("field", f.getField()).put("message", f.getMessage()));
            } else if (e instanceof Map<?, ?> m) {
                out.add(new JsonObject().put("field", String.valueOf(m.get("field"))).put("message", String.valueOf(m.get("message"))));
            } else if (e != null) {
                out.add(new JsonObject().put("message", e.toString()));
            }
        }
        return out;
    }
}
