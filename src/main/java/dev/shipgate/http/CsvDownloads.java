package dev.shipgate.http;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowStream;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import io.vertx.sqlclient.data.Numeric;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * CSV exports of any size in bounded memory, read inside one {@code REPEATABLE READ READ ONLY} transaction so
 * the file is one consistent snapshot however long it takes. The rows come either through a PostgreSQL cursor
 * (a prepared statement's row stream, {@code fetchRows} at a time) or, for a {@link Pages paged} query, as
 * keyset pages of at most {@code fetchRows} rows, each starting after the last row of the one before: a
 * page with a {@code LIMIT} is planned to start at once (an index in the export's order), where a cursor
 * over a whole large table is planned for all of its rows and may sort them before the first one comes out.
 * They are written in chunks of about {@value #CHUNK_CHARS} characters; when the client reads slower than
 * the database delivers, the connection's write queue fills, reading pauses (the row stream, or the walk
 * through the page in hand) and resumes on drain. A client that goes away closes the cursor, rolls the
 * transaction back and gives the connection back to the pool at once.
 * <p>
 * Each export holds a raw-pool connection for its whole length, so at most {@code maxRunning} run at
 * once in this process; one more is refused with a 429 {@link ProblemType#TOO_MANY_EXPORTS} problem
 * and {@code Retry-After}, before any connection is taken. Cells are quoted by Apache Commons CSV
 * (RFC 4180, CRLF line ends) and text a spreadsheet would run as a formula is defused (see {@link #cell}).
 */
public final class CsvDownloads {

    /** Characters gathered before they are written: large enough for few writes, small enough to not matter. */
    static final int CHUNK_CHARS = 32 * 1024;
    private static final String CONTENT_TYPE = "text/csv; charset=utf-8";
    private static final int RETRY_AFTER_SECONDS = 5;

    /**
     * One export: the file name the client saves it under, the header line, the rows (either one SQL
     * statement with positional parameters ({@code $1}) and its values, read through a cursor, or
     * {@link Pages}), and the cells of each row, in header order.
     */
    public record Query(String filename, List<String> header, String sql, Tuple params, Pages pages,
                        Function<Row, List<Object>> cells) {

        /** Rows of one statement, read through a cursor. */
        public Query(String filename, List<String> header, String sql, Tuple params, Function<Row, List<Object>> cells) {
            this(filename, header, sql, params, null, cells);
        }

        /** Rows read as keyset pages. */
        public static Query paged(String filename, List<String> header, Pages pages, Function<Row, List<Object>> cells) {
            return new Query(filename, header, null, null, pages, cells);
        }
    }

    /**
     * Keyset pages of an export, in the export's order: the statement of the page after {@code last} (null for
     * the first page), answering at most {@code rows} rows. A page with fewer rows is the last one.
     */
    @FunctionalInterface
    public interface Pages {
        Page after(Row last, int rows);
    }

    /** One page's SQL with positional parameters and their values. */
    public record Page(String sql, Tuple params) {
    }

    private final Pool pool;
    private final int maxRunning;
    private final int fetchRows;
    private final AtomicInteger running;

    public CsvDownloads(Pool pool, int maxRunning, int fetchRows) {
        this(pool, maxRunning, fetchRows, new AtomicInteger());
    }

    private CsvDownloads(Pool pool, int maxRunning, int fetchRows, AtomicInteger running) {
        this.pool = pool;
        this.maxRunning = maxRunning;
        this.fetchRows = fetchRows;
        this.running = running;
    }

    /** The same downloads reading from {@code other} (a read replica), within the same limit of exports running at once. */
    public CsvDownloads readingFrom(Pool other) {
        return new CsvDownloads(other, maxRunning, fetchRows, running);
    }

    /** Exports running right now, in this process. */
    public int running() {
        return running.get();
    }

    /**
     * A route handler: {@code action} checks the request and answers the export's query; a problem it
     * raises (a bad filter, an unknown job) is answered before anything is read.
     */
    public Handler<RoutingContext> handler(Function<RoutingContext, Future<Query>> action) {
        return ctx -> Handlers.run(ctx, action).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
            } else if (ctx.request().method() == HttpMethod.HEAD) {
                Responses.startDownload(ctx, CONTENT_TYPE, ar.result().filename());
            } else if (running.incrementAndGet() > maxRunning) {
                running.decrementAndGet();
                ctx.fail(Problem.of(ProblemType.TOO_MANY_EXPORTS, maxRunning + " exports are running; retry in "
                        + RETRY_AFTER_SECONDS + " s").retryAfter(RETRY_AFTER_SECONDS).exception());
            } else {
                new Export(ctx, ar.result()).start();
            }
        });
    }

    /**
     * One cell's text. Numbers as plain decimals, timestamps as UTC ISO-8601 instants in whole seconds
     * ({@code 2026-03-10T12:00:00Z}, as the README documents: spreadsheets read that form, not microseconds),
     * null as empty.
     * Text beginning with {@code = + - @}, a tab or a carriage return gets a leading apostrophe (OWASP,
     * "CSV Injection"): a spreadsheet would otherwise run a recipient named {@code =HYPERLINK(...)} as a
     * formula. Numbers the service writes are never text, so a negative amount stays a number.
     */
    public static String cell(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof String text) {
            return defused(text);
        }
        if (value instanceof BigDecimal number) {
            return number.toPlainString();
        }
        if (value instanceof Numeric number) {
            return number.bigDecimalValue().toPlainString();
        }
        if (value instanceof OffsetDateTime time) {
            return DateTimeFormatter.ISO_INSTANT.format(time.truncatedTo(ChronoUnit.SECONDS));
        }
        if (value instanceof java.time.Instant time) {
            return DateTimeFormatter.ISO_INSTANT.format(time.truncatedTo(ChronoUnit.SECONDS));
        }
        return value.toString();
    }

    static String defused(String text) {
        if (text.isEmpty()) {
            return text;
        }
        return switch (text.charAt(0)) {
            case '=', '+', '-', '@', '\t', '\r' -> "'" + text;
            default -> text;
        };
    }

    /** One running export; every method runs on the request's event loop. */
    private final class Export {

        private final RoutingContext ctx;
        private final Query query;
        private final StringBuilder pending = new StringBuilder(CHUNK_CHARS + 1024);
        private final CSVPrinter printer;
        private final List<String> cells = new ArrayList<>();
        private SqlConnection conn;
        private Transaction tx;
        private RowStream<Row> rows;
        private Iterator<Row> page;
        private int pageRows;
        private Row last;
        private boolean started;
        private boolean over;
        private boolean settingUp;
        private boolean released;

        Export(RoutingContext ctx, Query query) {
            this.ctx = ctx;
            this.query = query;
            try {
                this.printer = new CSVPrinter(pending, CSVFormat.RFC4180);
                printer.printRecord(query.header());
            } catch (IOException e) {
                throw new IllegalStateException("a StringBuilder does not fail", e);
            }
        }

        void start() {
            // Through the routing context, not response.closeHandler: that would replace the handler Vert.x
            // Web uses to run end handlers, and shutdown's count of requests in flight would miss this one.
            ctx.addEndHandler(done -> {
                if (!over) {
                    over = true;
                    release(false);
                }
            });
            if (!Responses.writable(ctx.response())) {
                // The client left while the request was being checked: nothing to read for it.
                over = true;
                released = true;
                running.decrementAndGet();
                return;
            }
            settingUp = true;
            pool.getConnection()
                    .compose(c -> {
                        conn = c;
                        return c.begin();
                    })
                    .compose(t -> {
                        tx = t;
                        return conn.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").execute();
                    })
                    .compose(set -> query.pages() != null ? Future.succeededFuture()
                            : conn.prepare(query.sql()).onSuccess(statement -> rows = statement.createStream(fetchRows, query.params())))
                    .onComplete(ar -> {
                        settingUp = false;
                        if (ar.failed()) {
                            fail(ar.cause());
                        } else if (over) {
                            release(false);
                        } else if (rows == null) {
                            nextPage();
                        } else {
                            rows.exceptionHandler(this::fail);
                            rows.endHandler(v -> finish());
                            rows.handler(row -> {
                                if (!over && !row(row)) {
                                    rows.pause();
                                    Responses.whenDrained(ctx, v -> {
                                        if (!over) {
                                            rows.resume();
                                        }
                                    });
                                }
                            });
                        }
                    });
        }

        /** Reads the page after the last row written (the first page at the start); the snapshot stays the transaction's. */
        private void nextPage() {
            Page next = query.pages().after(last, fetchRows);
            conn.preparedQuery(next.sql()).execute(next.params()).onComplete(ar -> {
                if (over) {
                    release(false);
                } else if (ar.failed()) {
                    fail(ar.cause());
                } else {
                    pageRows = ar.result().size();
                    page = ar.result().iterator();
                    walkPage();
                }
            });
        }

        /** Writes the page in hand until the client's queue is full (then again on drain) or the page ends. */
        private void walkPage() {
            while (page.hasNext()) {
                last = page.next();
                if (!row(last)) {
                    if (!over) {
                        Responses.whenDrained(ctx, v -> {
                            if (!over) {
                                walkPage();
                            }
                        });
                    }
                    return;
                }
            }
            page = null;
            if (pageRows < fetchRows) {
                finish();
            } else {
                nextPage();
            }
        }

        /**
         * Writes one row; answers whether to go on now (false: wait for the client to drain, or the export is
         * over because the client left or the row failed).
         */
        private boolean row(Row row) {
            if (over) {
                return false;
            }
            cells.clear();
            try {
                for (Object value : query.cells().apply(row)) {
                    cells.add(cell(value));
                }
                printer.printRecord(cells);
            } catch (IOException | RuntimeException e) {
                fail(e);
                return false;
            }
            // The first row goes out at once (the headers with it): a slow filter still answers promptly, and
            // a proxy's read timeout counts from there. After it, chunks of CHUNK_CHARS.
            if ((!started || pending.length() >= CHUNK_CHARS) && !flush()) {
                if (!Responses.writable(ctx.response())) {
                    over = true; // the client went away before an end handler could be told
                    release(false);
                }
                return false;
            }
            return true;
        }

        /** Writes what is pending; answers whether the client can take more now. */
        private boolean flush() {
            if (!started) {
                started = true;
                if (!Responses.startDownload(ctx, CONTENT_TYPE, query.filename())) {
                    return false;
                }
            }
            Buffer chunk = Buffer.buffer(pending.toString());
            pending.setLength(0);
            return Responses.chunk(ctx, chunk);
        }

        private void finish() {
            if (over) {
                return;
            }
            over = true;
            if (!started) {
                started = true;
                Responses.startDownload(ctx, CONTENT_TYPE, query.filename());
            }
            Responses.last(ctx, Buffer.buffer(pending.toString()));
            pending.setLength(0);
            release(true);
        }

        private void fail(Throwable cause) {
            boolean wasOver = over;
            over = true;
            release(false);
            if (!wasOver) {
                ctx.fail(cause);
            }
        }

        /**
         * Closes the cursor, ends the transaction and gives the connection back, once. While the connection,
         * transaction or statement is still on its way, waits for it: the end of the setup comes back here.
         */
        private void release(boolean commit) {
            if (released || settingUp) {
                return;
            }
            released = true;
            running.decrementAndGet();
            if (conn == null) {
                return;
            }
            SqlConnection connection = conn;
            Future<Void> cursor = rows == null ? Future.succeededFuture() : rows.close();
            cursor.transform(ar -> tx == null ? Future.<Void>succeededFuture() : commit ? tx.commit() : tx.rollback())
                    .onComplete(ar -> connection.close());
        }
    }
}
