package dev.shipgate.ops;

import ch.qos.logback.core.OutputStreamAppender;
import dev.shipgate.config.ShipgateConfig;
import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;
import java.util.logging.Handler;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Chooses the log format before the first logger exists: JSON lines for machines, text for people. Logs
 * always go to standard error, so a command's result on standard output can be captured alone
 * ({@code TOKEN=$(java -jar shipgate.jar token create --name ci)}).
 *
 * <p>In JSON every line must be JSON, including what libraries write around the logger: records sent to
 * java.util.logging are passed to SLF4J, and text printed on {@code System.err} (the SQL client prints
 * the stack trace of a connection error nobody listens for) becomes one log event per stack trace.
 */
public final class Logging {

    /** Whether this JVM is the shipgate process itself, whose streams are ours to redirect (not a test JVM running a command). */
    private static volatile boolean ownProcess;

    private Logging() {
    }

    /** Called by {@code main}: the process's standard error and java.util.logging may be taken over. */
    public static void ownProcess() {
        ownProcess = true;
    }

    public static void configure(ShipgateConfig.LogFormat format) {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile",
                    format == ShipgateConfig.LogFormat.TEXT ? "logback-text.xml" : "logback-json.xml");
        }
        if (!ownProcess) {
            return;
        }
        routeJulToSlf4j();
        if (format == ShipgateConfig.LogFormat.JSON && !(System.err instanceof StandardErrorLog)) {
            System.setErr(new StandardErrorLog((text, thrown) -> {
                var log = LoggerFactory.getLogger("stderr");
                if (thrown != null) {
                    log.error("printed on standard error: {}", text, thrown);
                } else {
                    log.warn("printed on standard error: {}", text);
                }
            }));
        }
    }

    private static void routeJulToSlf4j() {
        java.util.logging.Logger root = LogManager.getLogManager().getLogger("");
        for (Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        root.addHandler(new JulToSlf4j());
    }

    /** java.util.logging (the PostgreSQL JDBC driver, parts of the JDK) to SLF4J, formatted, level for level. */
    static final class JulToSlf4j extends Handler {

        private final SimpleFormatter formatter = new SimpleFormatter();

        @Override
        public void publish(LogRecord record) {
            int level = record.getLevel().intValue();
            Level slf4j = level >= java.util.logging.Level.SEVERE.intValue() ? Level.ERROR
                    : level >= java.util.logging.Level.WARNING.intValue() ? Level.WARN
                    : level >= java.util.logging.Level.INFO.intValue() ? Level.INFO
                    : level >= java.util.logging.Level.FINE.intValue() ? Level.DEBUG : Level.TRACE;
            var logger = LoggerFactory.getLogger(record.getLoggerName() == null ? "jul" : record.getLoggerName());
            if (logger.isEnabledForLevel(slf4j)) {
                logger.atLevel(slf4j).setCause(record.getThrown()).log(formatter.formatMessage(record));
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    /**
     * Standard error as log events. A printed stack trace arrives as the Throwable itself
     * ({@code printStackTrace} prints the exception with {@code println(Object)}, then its frames, all under
     * the stream's lock): the Throwable becomes one event and the frame lines that follow are dropped. Any
     * other line becomes an event of its own.
     */
    static final class StandardErrorLog extends PrintStream {

        private final ThreadLocal<Boolean> inStackTrace = ThreadLocal.withInitial(() -> false);
        private final BiConsumer<String, Throwable> sink;

        StandardErrorLog(BiConsumer<String, Throwable> sink) {
            this(sink, new Lines());
        }

        private StandardErrorLog(BiConsumer<String, Throwable> sink, Lines lines) {
            super(lines, true, StandardCharsets.UTF_8);
            this.sink = sink;
            lines.onLine = this::line;
        }

        @Override
        public void println(Object x) {
            if (x instanceof Throwable thrown) {
                synchronized (this) {
                    flush();
                    inStackTrace.set(true);
                    sink.accept(thrown.toString(), thrown);
                }
                return;
            }
            super.println(x);
        }

        private void line(String text) {
            if (inStackTrace.get() && isStackTraceLine(text)) {
                return;
            }
            inStackTrace.set(false);
            if (!text.isBlank()) {
                sink.accept(text, null);
            }
        }

        static boolean isStackTraceLine(String text) {
            return text.startsWith("\t") || text.startsWith("Caused by: ") || text.startsWith("Suppressed: ");
        }

        /** Bytes to lines, per thread, so two threads printing at once never share a line. */
        private static final class Lines extends OutputStream {

            private final ThreadLocal<ByteArrayOutputStream> pending = ThreadLocal.withInitial(ByteArrayOutputStream::new);
            private java.util.function.Consumer<String> onLine;

            @Override
            public void write(int b) {
                if (b == '\n') {
                    ByteArrayOutputStream line = pending.get();
                    String text = line.toString(StandardCharsets.UTF_8);
                    line.reset();
                    onLine.accept(text.endsWith("\r") ? text.substring(0, text.length() - 1) : text);
                } else {
                    pending.get().write(b);
                }
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                for (int i = offset; i < offset + length; i++) {
                    write(bytes[i]);
                }
            }
        }
    }

    /**
     * The console appender of the JSON configuration. It writes to the process's own standard error (or
     * output) file descriptor rather than through {@code System.err}, which {@link #configure} replaces with
     * a stream that logs: writing through it would loop.
     */
    public static final class StandardStreamAppender<E> extends OutputStreamAppender<E> {

        private String stream = "stderr";

        public void setStream(String stream) {
            this.stream = stream;
        }

        @Override
        public void start() {
            setOutputStream(new FileOutputStream("stdout".equals(stream) ? FileDescriptor.out : FileDescriptor.err));
            super.start();
        }
    }
}
