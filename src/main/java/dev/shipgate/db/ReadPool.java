package dev.shipgate.db;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PrepareOptions;
import io.vertx.sqlclient.PreparedQuery;
import io.vertx.sqlclient.Query;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.SqlResult;
import io.vertx.sqlclient.Tuple;
import io.vertx.sqlclient.impl.SqlClientInternal;
import io.vertx.sqlclient.spi.Driver;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collector;

/**
 * The pool for reads that may be a little behind the last write: lists, exports, tracking, analytics and
 * the exceptions queue. It is a {@link Pool}, so a feature's {@code SqlTemplate}s built on it once pick the
 * server at each execution: the {@link Replica} while it serves reads, else the primary's raw pool. A read
 * the replica cannot take (it is unreachable, or cancelled a query for conflicting with recovery, SQL state
 * 40001) is run once more on the primary, so a replica outage costs reads no errors.
 *
 * <p>Never hand this pool to anything a purchase, an idempotency check, a lease, an approval, a spend
 * limit, token authentication or a read-after-write answer depends on: those read the primary. A write
 * sent here by mistake fails on the standby (it is read-only), not silently. The pools belong to
 * {@link Pools}: {@link #close()} closes neither.
 *
 * <p>It also implements Vert.x's {@link SqlClientInternal}: {@code SqlTemplate.forQuery} casts its client to
 * it to learn the driver's parameter syntax ({@code $1} for PostgreSQL, the same on both servers).
 */
public final class ReadPool implements Pool, SqlClientInternal {

    /** PostgreSQL's serialization_failure: on a standby, "canceling statement due to conflict with recovery". */
    private static final String RECOVERY_CONFLICT = "40001";

    private final Pool primary;
    private final Replica replica;

    ReadPool(Pool primary, Replica replica) {
        this.primary = primary;
        this.replica = replica;
    }

    /** Runs {@code read} on the replica while it serves reads, else (or when it cannot take it) on the primary. */
    <T> Future<T> run(Function<SqlClient, Future<T>> read) {
        if (!replica.serving()) {
            replica.fellBack();
            return read.apply(primary);
        }
        return read.apply(replica.pool()).recover(e -> {
            if (DatabaseStatus.troubleOf(e).orElse(null) == DatabaseStatus.Trouble.UNAVAILABLE) {
                replica.unreachable(e);
            } else if (!(e instanceof PgException pg && RECOVERY_CONFLICT.equals(pg.getSqlState()))) {
                return Future.failedFuture(e);
            }
            replica.fellBack();
            return read.apply(primary);
        });
    }

    /** A connection of the replica while it serves reads (the primary's when it cannot be reached), for cursors. */
    @Override
    public Future<SqlConnection> getConnection() {
        return run(client -> ((Pool) client).getConnection());
    }

    @Override
    public void getConnection(Handler<AsyncResult<SqlConnection>> handler) {
        getConnection().onComplete(handler);
    }

    @Override
    public Query<RowSet<Row>> query(String sql) {
        return new ReadQuery<>(this, client -> client.query(sql));
    }

    @Override
    public PreparedQuery<RowSet<Row>> preparedQuery(String sql) {
        return new ReadPreparedQuery<>(this, client -> client.preparedQuery(sql));
    }

    @Override
    public PreparedQuery<RowSet<Row>> preparedQuery(String sql, PrepareOptions options) {
        return new ReadPreparedQuery<>(this, client -> client.preparedQuery(sql, options));
    }

    @Override
    public Driver driver() {
        return ((SqlClientInternal) primary).driver();
    }

    /** Pipelines {@code block}'s queries on the pool reads go to now; a group is not run again on the primary. */
    @Override
    public void group(Handler<SqlClient> block) {
        ((SqlClientInternal) (replica.serving() ? replica.pool() : primary)).group(block);
    }

    /** Connections of the pool reads go to now. */
    @Override
    public int size() {
        return (replica.serving() ? replica.pool() : primary).size();
    }

    @Override
    public void close(Handler<AsyncResult<Void>> handler) {
        close().onComplete(handler);
    }

    @Override
    public Future<Void> close() {
        return Future.succeededFuture();
    }

    /** Pools are configured where they are built ({@link Pools}); this view has nothing to configure. */
    @Override
    public Pool connectHandler(Handler<SqlConnection> handler) {
        throw new UnsupportedOperationException("configure the replica's pool in Pools");
    }

    @Override
    public Pool connectionProvider(Function<Context, Future<SqlConnection>> provider) {
        throw new UnsupportedOperationException("configure the replica's pool in Pools");
    }

    /** A query whose server is chosen when it runs, not when it is built. */
    private static final class ReadQuery<T> implements Query<T> {

        private final ReadPool reads;
        private final Function<SqlClient, ? extends Query<T>> build;

        ReadQuery(ReadPool reads, Function<SqlClient, ? extends Query<T>> build) {
            this.reads = reads;
            this.build = build;
        }

        @Override
        public Future<T> execute() {
            return reads.run(client -> build.apply(client).execute());
        }

        @Override
        public void execute(Handler<AsyncResult<T>> handler) {
            execute().onComplete(handler);
        }

        @Override
        public <R> Query<SqlResult<R>> collecting(Collector<Row, ?, R> collector) {
            return new ReadQuery<>(reads, client -> build.apply(client).collecting(collector));
        }

        @Override
        public <U> Query<RowSet<U>> mapping(Function<Row, U> mapper) {
            return new ReadQuery<>(reads, client -> build.apply(client).mapping(mapper));
        }
    }

    /** A prepared query whose server is chosen when it runs; SqlTemplates execute these. */
    private static final class ReadPreparedQuery<T> implements PreparedQuery<T> {

        private final ReadPool reads;
        private final Function<SqlClient, PreparedQuery<T>> build;

        ReadPreparedQuery(ReadPool reads, Function<SqlClient, PreparedQuery<T>> build) {
            this.reads = reads;
            this.build = build;
        }

        @Override
        public Future<T> execute() {
            return reads.run(client -> build.apply(client).execute());
        }

        @Override
        public void execute(Handler<AsyncResult<T>> handler) {
            execute().onComplete(handler);
        }

        @Override
        public Future<T> execute(Tuple tuple) {
            return reads.run(client -> build.apply(client).execute(tuple));
        }

        @Override
        public void execute(Tuple tuple, Handler<AsyncResult<T>> handler) {
            execute(tuple).onComplete(handler);
        }

        @Override
        public Future<T> executeBatch(List<Tuple> batch) {
            return reads.run(client -> build.apply(client).executeBatch(batch));
        }

        @Override
        public void executeBatch(List<Tuple> batch, Handler<AsyncResult<T>> handler) {
            executeBatch(batch).onComplete(handler);
        }

        @Override
        public <R> PreparedQuery<SqlResult<R>> collecting(Collector<Row, ?, R> collector) {
            return new ReadPreparedQuery<>(reads, client -> build.apply(client).collecting(collector));
        }

        @Override
        public <U> PreparedQuery<RowSet<U>> mapping(Function<Row, U> mapper) {
            return new ReadPreparedQuery<>(reads, client -> build.apply(client).mapping(mapper));
        }
    }
}
