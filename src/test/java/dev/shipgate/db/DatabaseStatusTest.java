package dev.shipgate.db;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.shipgate.db.DatabaseStatus.Trouble;
import io.vertx.core.Vertx;
import io.vertx.core.VertxException;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.impl.NoStackTraceThrowable;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.io.IOException;
import java.net.ConnectException;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.hibernate.HibernateException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

@DisplayName("What a database failure means for a request")
class DatabaseStatusTest {

    Vertx vertx;
    ListAppender<ILoggingEvent> logged;
    Logger logger;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        logger = (Logger) LoggerFactory.getLogger(DatabaseStatus.class);
        logged = new ListAppender<>();
        logged.start();
        logger.addAppender(logged);
    }

    @AfterEach
    void tearDown() {
        logger.detachAppender(logged);
        vertx.close();
    }

    @Test
    @DisplayName("a lost, refused, reset or broken connection, or a server shutting down, is 'unavailable', under any wrapping")
    void unavailable() {
        assertThat(DatabaseStatus.troubleOf(ClosedConnectionException.INSTANCE)).hasValue(Trouble.UNAVAILABLE);
        assertThat(DatabaseStatus.troubleOf(new CompletionException(new HibernateException("could not begin",
                new ConnectException("Connection refused: /127.0.0.1:5432"))))).hasValue(Trouble.UNAVAILABLE);
        assertThat(DatabaseStatus.troubleOf(new IOException("Connection reset by peer"))).hasValue(Trouble.UNAVAILABLE);
        assertThat(DatabaseStatus.troubleOf(new java.net.SocketException("Connection reset"))).hasValue(Trouble.UNAVAILABLE);
        assertThat(DatabaseStatus.troubleOf(new IOException("Broken pipe"))).hasValue(Trouble.UNAVAILABLE);
        assertThat(DatabaseStatus.troubleOf(new VertxException("Pending requests failed to be sent due to connection has been closed.")))
                .hasValue(Trouble.UNAVAILABLE);
        assertThat(DatabaseStatus.troubleOf(new PgException("terminating connection due to administrator command", "FATAL", "57P01", null)))
                .hasValue(Trouble.UNAVAILABLE);
        assertThat(DatabaseStatus.troubleOf(new PgException("the database system is starting up", "FATAL", "57P03", null)))
                .hasValue(Trouble.UNAVAILABLE);
    }

    @Test
    @DisplayName("no pool connection free in time, a full wait queue or a server out of connections is 'busy'")
    void busy() {
        assertThat(DatabaseStatus.troubleOf(new VertxException("Timeout waiting for connection", true))).hasValue(Trouble.BUSY);
        assertThat(DatabaseStatus.troubleOf(new NoStackTraceThrowable("Timeout"))).hasValue(Trouble.BUSY);
        assertThat(DatabaseStatus.troubleOf(new ConnectionPoolTooBusyException("Connection pool reached max wait queue size of 64")))
                .hasValue(Trouble.BUSY);
        assertThat(DatabaseStatus.troubleOf(new PgException("sorry, too many clients already", "FATAL", "53300", null)))
                .hasValue(Trouble.BUSY);
    }

    @Test
    @DisplayName("a statement the database refuses is no trouble with the database")
    void refusals() {
        assertThat(DatabaseStatus.troubleOf(new PgException("duplicate key value", "ERROR", "23505", null))).isEqualTo(Optional.empty());
        assertThat(DatabaseStatus.troubleOf(new PgException("syntax error", "ERROR", "42601", null))).isEmpty();
        assertThat(DatabaseStatus.troubleOf(new IllegalStateException("boom"))).isEmpty();
    }

    @Test
    @DisplayName("an outage is logged once when it starts and once when it ends, with the count of failed requests")
    void outageLoggedTwice() {
        DatabaseStatus status = DatabaseStatus.of(vertx);
        for (int i = 0; i < 1450; i++) {
            status.requestFailed(Trouble.UNAVAILABLE, new ConnectException("Connection refused: /127.0.0.1:5432"));
        }
        assertThat(status.down()).isTrue();
        status.reachable();
        status.reachable();

        assertThat(logged.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                "database unavailable (Connection refused: /127.0.0.1:5432); requests that need it answer 503 until it is back",
                "database available again after 0 s; 1450 request(s) answered 503 meanwhile");
        assertThat(logged.list).allMatch(e -> e.getThrowableProxy() == null);
        assertThat(status.down()).isFalse();
    }

    @Test
    @DisplayName("a busy database is summed up once a minute, not per request")
    void busySummedUp() {
        DatabaseStatus status = DatabaseStatus.of(vertx);
        for (int i = 0; i < 500; i++) {
            status.requestFailed(Trouble.BUSY, new VertxException("Timeout waiting for connection", true));
        }
        assertThat(logged.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                "database busy: 1 request(s) answered 503 waiting for a pool connection (Timeout waiting for connection); "
                        + "next summary in a minute at most");
        assertThat(status.down()).as("busy is no outage").isFalse();
    }

    @Test
    @DisplayName("the SQL client's second failure of an already failed query is recognised, nothing else")
    void poolTimerRace() {
        IllegalStateException race = new IllegalStateException("Result is already complete");
        race.setStackTrace(new StackTraceElement[] {
            new StackTraceElement("io.vertx.core.Promise", "fail", "Promise.java", 90),
            new StackTraceElement("io.vertx.sqlclient.impl.pool.SqlConnectionPool", "lambda$execute$3", "SqlConnectionPool.java", 216)});
        assertThat(Pools.isPoolTimerRace(race)).isTrue();
        assertThat(Pools.isPoolTimerRace(new IllegalStateException("Result is already complete"))).isFalse();
    }
}
