package dev.shipgate.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shipgate.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Retention")
class RetentionIT {

    @Test
    @DisplayName("expired idempotency keys, webhook ids and settled creations are deleted; recent and open ones stay")
    void expires() throws Exception {
        TestDatabase.execute("DELETE FROM idempotency_keys; DELETE FROM webhook_events; DELETE FROM shipment_creations");
        TestDatabase.execute("""
                INSERT INTO idempotency_keys (scope, key, request_hash, status_code, created_at) VALUES
                  ('\\x01', 'old-done', '\\x00', 201, now() - interval '25 hours'),
                  ('\\x01', 'old-running', '\\x00', NULL, now() - interval '25 hours'),
                  ('\\x01', 'recent', '\\x00', 201, now() - interval '1 hour');
                INSERT INTO webhook_events (id, description, received_at) VALUES
                  ('evt_old', 'tracker.updated', now() - interval '31 days'),
                  ('evt_new', 'tracker.updated', now() - interval '2 days');
                INSERT INTO shipment_creations (source_key, request, created_at, resolved_at) VALUES
                  ('settled-old', '{}', now() - interval '3 days', now() - interval '2 days'),
                  ('open-old', '{}', now() - interval '3 days', NULL),
                  ('settled-recent', '{}', now() - interval '2 hours', now() - interval '1 hour')""");
        Vertx vertx = Vertx.vertx();
        var u = TestDatabase.url();
        Pool pool = PgBuilder.pool().connectingTo(new PgConnectOptions().setHost(u.host()).setPort(u.port())
                .setDatabase(u.database()).setUser(u.user()).setPassword(u.password())).using(vertx).build();
        try {
            int removed = new Retention(pool, dev.shipgate.ShipgateApp.expiries()).run().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(removed).isEqualTo(3);
            assertThat(TestDatabase.count("SELECT count(*) FROM shipment_creations WHERE source_key <> 'settled-old'"))
                    .as("an open creation is never forgotten").isEqualTo(2);
            assertThat(TestDatabase.count("SELECT count(*) FROM shipment_creations")).isEqualTo(2);
            assertThat(TestDatabase.count("SELECT count(*) FROM idempotency_keys")).isEqualTo(2);
            assertThat(TestDatabase.count("SELECT count(*) FROM webhook_events WHERE id = 'evt_new'")).isEqualTo(1);
        } finally {
            pool.close();
            vertx.close();
        }
    }
}
