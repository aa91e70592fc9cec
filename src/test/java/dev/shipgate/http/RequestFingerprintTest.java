package dev.shipgate.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("When two requests with one Idempotency-Key are the same request")
class RequestFingerprintTest {

    private static String of(String contentType, String body) {
        return of(MultiMap.caseInsensitiveMultiMap(), contentType, body);
    }

    private static String of(MultiMap query, String contentType, String body) {
        return HexFormat.of().formatHex(RequestFingerprint.of("POST", "/shipments/s1/buy", query, contentType,
                body == null ? null : body.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    @DisplayName("the same JSON spaced, ordered or numbered differently, or with charset=utf-8, is the same request")
    void sameMeaningSameFingerprint() {
        String first = of("application/json", "{\"strategy\":\"cheapest\",\"insurance\":\"100.00\",\"max_rate\":12.5}");
        assertThat(of("application/json", "{ \"max_rate\" : 12.50,\n  \"strategy\": \"cheapest\", \"insurance\": \"100.00\" }"))
                .isEqualTo(first);
        assertThat(of("Application/JSON; charset=UTF-8", "{\"insurance\":\"100.00\",\"max_rate\":1.25e1,\"strategy\":\"cheapest\"}"))
                .isEqualTo(first);
        assertThat(of("application/json", "{\"parcel\":{\"weight\":10,\"length\":1}}"))
                .isEqualTo(of("application/json", "{\"parcel\":{\"length\":1.0,\"weight\":10.00}}"));
        assertThat(of("application/json", "{\"a\":0.0}")).isEqualTo(of("application/json", "{\"a\":0}"));
    }

    @Test
    @DisplayName("one value, one character of a string, the order of an array or the path differing is another request")
    void otherMeaningOtherFingerprint() {
        String first = of("application/json", "{\"strategy\":\"cheapest\",\"insurance\":\"100.00\"}");
        assertThat(of("application/json", "{\"strategy\":\"fastest\",\"insurance\":\"100.00\"}")).isNotEqualTo(first);
        assertThat(of("application/json", "{\"strategy\":\"cheapest\",\"insurance\":\"100.0\"}")).as("strings are exact")
                .isNotEqualTo(first);
        assertThat(of("application/json", "{\"strategy\":\"cheapest\"}")).isNotEqualTo(first);
        assertThat(of("application/json", "{\"ids\":[1,2]}")).isNotEqualTo(of("application/json", "{\"ids\":[2,1]}"));
        assertThat(of("application/json", "{\"a\":1}")).isNotEqualTo(of("application/json", "{\"a\":\"1\"}"));
        assertThat(of("application/json", "{\"a\":1.5}")).isNotEqualTo(of("application/json", "{\"a\":1.50001}"));
        assertThat(of("text/csv", "{\"a\":1}")).isNotEqualTo(of("application/json", "{\"a\":1}"));
        assertThat(HexFormat.of().formatHex(RequestFingerprint.of("POST", "/shipments/s2/buy", MultiMap.caseInsensitiveMultiMap(),
                "application/json", "{\"a\":1}".getBytes(StandardCharsets.UTF_8)))).isNotEqualTo(of("application/json", "{\"a\":1}"));
    }

    @Test
    @DisplayName("query parameters count by name and value, not by their order in the address")
    void queryOrderDoesNotCount() {
        MultiMap ab = MultiMap.caseInsensitiveMultiMap().add("buy", "cheapest").add("carriers", "UPS,USPS");
        MultiMap ba = MultiMap.caseInsensitiveMultiMap().add("carriers", "UPS,USPS").add("buy", "cheapest");
        MultiMap other = MultiMap.caseInsensitiveMultiMap().add("carriers", "UPS").add("buy", "cheapest");
        assertThat(of(ab, "text/csv", "a,b\n")).isEqualTo(of(ba, "text/csv", "a,b\n"));
        assertThat(of(other, "text/csv", "a,b\n")).isNotEqualTo(of(ab, "text/csv", "a,b\n"));
    }

    @Test
    @DisplayName("a body that is no single JSON value, or not JSON, counts byte for byte")
    void otherBodiesByteForByte() {
        assertThat(of("text/csv", "a,b\n")).isNotEqualTo(of("text/csv", "a, b\n"));
        assertThat(of("application/json", "{\"a\":1} {\"b\":2}")).isNotEqualTo(of("application/json", "{\"a\":1}  {\"b\":2}"));
        assertThat(of("application/json", "{\"a\":1,\"a\":2}")).isNotEqualTo(of("application/json", "{\"a\":2}"));
        assertThat(of("application/json", "{\"a\":1e999999999}")).hasSize(66);
        assertThat(of("text/csv; charset=ISO-8859-1", "a")).isNotEqualTo(of("text/csv", "a"));
    }

    @Test
    @DisplayName("the media type keeps only a charset other than UTF-8")
    void mediaType() {
        assertThat(RequestFingerprint.mediaType("Application/Json ; Charset=\"utf-8\"")).isEqualTo("application/json");
        assertThat(RequestFingerprint.mediaType("text/csv; charset=latin1")).isEqualTo("text/csv;charset=latin1");
        assertThat(RequestFingerprint.mediaType(null)).isEmpty();
    }
}
