package dev.shipgate.bench;

import com.easypost.utils.Utilities;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The webhook signature check on a tracker event of about 2 KB: EasyPost's own validateWebhook (which
 * the service used to call; it now checks the raw bytes with the client's digest and comparison before
 * parsing) against a plain JDK HMAC with a constant-time comparison, to show what the client's
 * normalisation and JSON parsing add.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class WebhookBenchmark {

    private static final String SECRET = "whsec_benchmark_secret";
    private byte[] body;
    private String signature;
    private Map<String, Object> headers;

    @Setup
    public void setUp() throws Exception {
        StringBuilder details = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            details.append(i == 0 ? "" : ",").append("{\"object\":\"TrackingDetail\",\"message\":\"Arrived at facility ")
                    .append(i).append("\",\"status\":\"in_transit\",\"datetime\":\"2026-11-2").append(i)
                    .append("T08:30:00Z\",\"tracking_location\":{\"city\":\"RENO\",\"state\":\"NV\",\"zip\":\"89501\",\"country\":\"US\"}}");
        }
        body = ("{\"id\":\"evt_0123456789\",\"object\":\"Event\",\"description\":\"tracker.updated\",\"mode\":\"production\","
                + "\"result\":{\"object\":\"Tracker\",\"id\":\"trk_0123\",\"tracking_code\":\"9400100000000000123456\","
                + "\"status\":\"in_transit\",\"carrier\":\"USPS\",\"tracking_details\":[" + details + "]}}")
                .getBytes(StandardCharsets.UTF_8);
        signature = "hmac-sha256-hex=" + HexFormat.of().formatHex(mac().doFinal(body));
        headers = Map.of("X-Hmac-Signature", signature);
    }

    private static Mac mac() throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return mac;
    }

    @Benchmark
    public Object easypostValidateWebhook() throws Exception {
        return Utilities.validateWebhook(body, headers, SECRET);
    }

    @Benchmark
    public boolean jdkHmac() throws Exception {
        byte[] expected = ("hmac-sha256-hex=" + HexFormat.of().formatHex(mac().doFinal(body))).getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.UTF_8));
    }
}
