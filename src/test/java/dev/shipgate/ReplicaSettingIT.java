package dev.shipgate;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.shipgate.config.DatabaseUrl;
import dev.shipgate.db.Replica;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * {@code DATABASE_READ_URL} set to something that is no standby of {@code DATABASE_URL}: a primary (here the
 * service's own database) or a database that does not exist. Neither serves reads; {@code /health} and one log
 * line say what is wrong with the setting, and lists still answer from the primary.
 */
@DisplayName("A DATABASE_READ_URL that names no standby")
class ReplicaSettingIT {

    private Logger replicaLog;
    private ListAppender<ILoggingEvent> logged;

    @BeforeEach
    void listen() {
        replicaLog = (Logger) LoggerFactory.getLogger(Replica.class);
        logged = new ListAppender<>();
        logged.start();
        replicaLog.addAppender(logged);
    }

    @AfterEach
    void stopListening() {
        replicaLog.detachAppender(logged);
    }

    @Test
    @DisplayName("the primary itself as DATABASE_READ_URL: reads stay on the primary and the setting is named, once")
    void primaryIsNoStandby() throws Exception {
        JsonObject replica = replicaOf(TestApp.databaseUrl(TestDatabase.url()));
        assertThat(replica.getString("reads")).isEqualTo("primary");
        assertThat(replica.getString("status")).isEqualTo("DOWN");
        assertThat(replica.getBoolean("in_recovery")).isFalse();
        assertThat(replica.getString("error")).contains("not a standby").contains("DATABASE_READ_URL");
        List<String> warnings = warnings();
        assertThat(warnings).as("one warning, however many probes ran").hasSize(1);
        assertThat(warnings.get(0)).contains("is not used").contains("not a standby");
    }

    @Test
    @DisplayName("a database missing on the replica's server: the error says to check DATABASE_READ_URL")
    void missingDatabaseNamesTheSetting() throws Exception {
        DatabaseUrl u = TestDatabase.url();
        DatabaseUrl missing = new DatabaseUrl(u.host(), u.port(), "no_such_replica_db", u.user(), u.password());
        JsonObject replica = replicaOf(TestApp.databaseUrl(missing));
        assertThat(replica.getString("reads")).isEqualTo("primary");
        assertThat(replica.getString("error")).contains("no_such_replica_db").contains("check DATABASE_READ_URL");
        assertThat(warnings()).hasSize(1).allMatch(w -> w.contains("check DATABASE_READ_URL"));
    }

    /** Starts a service with {@code readUrl}, lets it probe a few times, lists once, and answers its replica health. */
    private JsonObject replicaOf(String readUrl) throws Exception {
        try (ShipgateApp app = TestApp.start(Map.of("DATABASE_READ_URL", readUrl));
             Api api = new Api(app.config().httpPort(), TestApp.TOKEN)) {
            assertThat(api.get("/shipments?limit=1").statusCode()).as("lists answer from the primary").isEqualTo(200);
            JsonObject first = health(api);
            // a trial read "(not reachable: reads use the primary)" for a primary that answered and was refused as such
            assertThat(app.banner()).contains("(not used, reads go to the primary: " + first.getString("error") + ")")
                    .doesNotContain("not reachable");
            Thread.sleep(Duration.ofMillis(5_500).toMillis()); // one periodic probe more: still one warning
            JsonObject again = health(api);
            assertThat(again.getString("reads")).isEqualTo(first.getString("reads"));
            return again;
        }
    }

    private static JsonObject health(Api api) {
        return api.get("/health").bodyAsJsonObject().getJsonObject("database").getJsonObject("replica");
    }

    private List<String> warnings() {
        return logged.list.stream().filter(e -> e.getLevel().toString().equals("WARN")).map(ILoggingEvent::getFormattedMessage).toList();
    }
}
