package dev.shipgate.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.shipgate.http.Problem;
import dev.shipgate.http.ProblemException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Reading EasyPost events")
class WebhookEventTest {

    static JsonObject event(Object details) {
        return new JsonObject().put("id", "evt_1").put("description", "tracker.updated").put("result", new JsonObject()
                .put("tracking_code", "EZ1").put("status", "in_transit").put("tracking_details", details));
    }

    static JsonObject detail(String status, String at) {
        return new JsonObject().put("status", status).put("message", "m").put("datetime", at)
                .put("tracking_location", new JsonObject().put("city", "RENO"));
    }

    static Problem refused(String body) {
        return catchThrowableOfType(ProblemException.class, () -> WebhookEvent.parse(Buffer.buffer(body))).problem();
    }

    @Test
    @DisplayName("tracking_details given as a string is a 422 naming result.tracking_details")
    void detailsAsString() {
        Problem problem = refused(event("in transit").encode());
        assertThat(problem.status()).isEqualTo(422);
        assertThat(problem.invalidParams()).extracting(Problem.InvalidParam::name).containsExactly("result.tracking_details");
    }

    @Test
    @DisplayName("a body that is not a JSON object is a 400")
    void notJson() {
        assertThat(refused("{\"id\": ").status()).isEqualTo(400);
        assertThat(refused("[1, 2]").status()).isEqualTo(400);
        assertThat(refused("null").status()).isEqualTo(400);
    }

    @Test
    @DisplayName("each detail of the wrong shape is named by its index and field")
    void badDetails() {
        Problem problem = refused(event(new JsonArray().add(detail("in_transit", "2026-11-21T08:30:00Z")).add("x")
                .add(detail("delivered", "yesterday")).add(detail("delivered", "2026-11-22T15:00:00Z").put("message", 7))).encode());
        assertThat(problem.status()).isEqualTo(422);
        assertThat(problem.invalidParams()).extracting(Problem.InvalidParam::name).containsExactly(
                "result.tracking_details[1]", "result.tracking_details[2].datetime", "result.tracking_details[3].message");
        assertThat(refused(new JsonObject().put("id", 5).put("description", "tracker.updated").encode())
                .invalidParams()).extracting(Problem.InvalidParam::name).containsExactly("id");
        assertThat(refused(event(new JsonArray()).put("description", "tracker.updated").put("result", "trk").encode())
                .invalidParams()).extracting(Problem.InvalidParam::name).containsExactly("result");
    }

    @Test
    @DisplayName("an event's time is its newest tracking detail's, whatever their order")
    void eventTime() {
        WebhookEvent e = WebhookEvent.parse(event(new JsonArray().add(detail("delivered", "2026-11-22T15:00:00Z"))
                .add(detail("pre_transit", "2026-11-20T10:00:00+01:00"))).toBuffer());
        assertThat(e.tracker().at()).isEqualTo(OffsetDateTime.parse("2026-11-22T15:00:00Z"));
        assertThat(e.tracker().details()).hasSize(2);
        assertThat(WebhookEvent.parse(event(null).toBuffer()).tracker().at()).isNull();
        assertThat(WebhookEvent.parse(new JsonObject().put("id", "evt_2").put("description", "insurance.purchased")
                .put("result", "anything").toBuffer()).tracker()).as("an event Shipgate does not act on is only seen").isNull();
        // batch.updated is acted on (it finishes a label batch), so its result is read like a tracker's: a malformed
        // one is a 400 naming the member, never silently taken for "nothing to do"
        assertThatThrownBy(() -> WebhookEvent.parse(new JsonObject().put("id", "evt_3").put("description", "batch.updated")
                .put("result", "anything").toBuffer())).hasMessageContaining("result");
    }

    @Test
    @DisplayName("a status EasyPost does not document is kept as unknown, on the tracker and on each detail")
    void unknownStatus() {
        WebhookEvent e = WebhookEvent.parse(new JsonObject().put("id", "evt_9").put("description", "tracker.updated")
                .put("result", new JsonObject().put("tracking_code", "EZ9").put("status", "teleported")
                        .put("tracking_details", new JsonArray().add(detail("teleported", "2026-11-22T15:00:00Z"))
                                .add(detail("in_transit", "2026-11-21T15:00:00Z")))).toBuffer());
        assertThat(e.tracker().status()).isEqualTo("unknown");
        assertThat(e.tracker().details()).extracting(TrackingDetail::status).containsExactly("unknown", "in_transit");
    }
}
