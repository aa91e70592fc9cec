package dev.shipgate.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Text libraries print on standard error")
class LoggingTest {

    record Event(String text, Throwable thrown) {
    }

    @Test
    @DisplayName("a printed stack trace becomes one log event carrying the exception, its frame lines none")
    void stackTraceIsOneEvent() {
        List<Event> events = new ArrayList<>();
        Logging.StandardErrorLog stderr = new Logging.StandardErrorLog((text, thrown) -> events.add(new Event(text, thrown)));
        IllegalStateException failure = new IllegalStateException("FATAL: terminating connection (57P01)",
                new java.io.IOException("Connection reset by peer"));
        failure.addSuppressed(new RuntimeException("also"));

        failure.printStackTrace(stderr);
        stderr.println("a plain line");
        stderr.print("half ");
        stderr.println("and the rest");

        assertThat(events).containsExactly(
                new Event("java.lang.IllegalStateException: FATAL: terminating connection (57P01)", failure),
                new Event("a plain line", null),
                new Event("half and the rest", null));
    }
}
