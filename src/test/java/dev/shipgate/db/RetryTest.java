package dev.shipgate.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shipgate.http.Problem;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.ConnectException;
import java.util.concurrent.CompletionException;
import org.hibernate.HibernateException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("Which database failures a must-not-lose write repeats")
class RetryTest {

    static PgException pg(String sqlState) {
        return new PgException("failed with " + sqlState, "ERROR", sqlState, null);
    }

    @ParameterizedTest(name = "{0} ({1}): transient {2}")
    @CsvSource({
        "23505, unique violation, false",
        "23503, foreign key violation, false",
        "23514, check violation, false",
        "22001, string too long, false",
        "22P02, invalid text representation, false",
        "42P01, undefined table, false",
        "42601, syntax error, false",
        "40001, serialization failure, true",
        "40P01, deadlock, true",
        "57P01, admin shutdown, true",
        "57P03, cannot connect now, true",
        "53300, too many connections, true",
        "08006, connection failure, true",
        "25006, read-only transaction (a failover in progress), true",
    })
    @DisplayName("a refusal of the data or the statement is final; a failure of the server or connection is repeated")
    void bySqlState(String state, String meaning, boolean transientFailure) {
        assertThat(Retry.transientFailure(pg(state))).isEqualTo(transientFailure);
    }

    @Test
    @DisplayName("a PostgreSQL error without a SQL state is repeated")
    void noSqlState() {
        assertThat(Retry.transientFailure(pg(null))).isTrue();
    }

    @Test
    @DisplayName("the SQL state is found under any wrapping: CompletionException, Hibernate, a plain runtime exception")
    void wrapped() {
        Throwable hibernate = new CompletionException(
                new HibernateException("could not execute statement", pg("23505")));
        assertThat(Retry.transientFailure(hibernate)).isFalse();
        assertThat(Retry.sqlState(hibernate)).isEqualTo("23505");
        Throwable twice = new RuntimeException(new RuntimeException(pg("57P01")));
        assertThat(Retry.transientFailure(twice)).isTrue();
        assertThat(Retry.sqlState(twice)).isEqualTo("57P01");
    }

    @Test
    @DisplayName("a lost connection or a refused one, with no SQL state, is repeated")
    void connectionFailures() {
        assertThat(Retry.transientFailure(ClosedConnectionException.INSTANCE)).isTrue();
        assertThat(Retry.transientFailure(new CompletionException(new ConnectException("Connection refused"))))
                .isTrue();
        assertThat(Retry.transientFailure(new CompletionException(null))).isTrue();
        assertThat(Retry.sqlState(ClosedConnectionException.INSTANCE)).isNull();
    }

    @Test
    @DisplayName("a problem our own code raised is final, wrapped or not")
    void problemsAreFinal() {
        Throwable problem = Problem.of(dev.shipgate.http.ProblemType.ALREADY_BOUGHT, "already bought").exception();
        assertThat(Retry.transientFailure(problem)).isFalse();
        assertThat(Retry.transientFailure(new CompletionException(problem))).isFalse();
    }
}
