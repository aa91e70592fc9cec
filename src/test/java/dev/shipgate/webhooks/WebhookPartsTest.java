package dev.shipgate.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Webhook signatures, target addresses and backoff")
class WebhookPartsTest {

    private static final byte[] BODY = "{\"id\":\"e1\",\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    @DisplayName("a signature verifies with its secret and timestamp, and not with another secret, body or an old timestamp")
    void signatures() {
        String secret = Signature.newSecret();
        assertThat(secret).startsWith("whsec_").hasSizeGreaterThan(40);
        String header = Signature.header(secret, 1_700_000_000L, BODY);
        assertThat(header).matches("t=1700000000,v1=[0-9a-f]{64}");
        assertThat(Signature.verify(secret, header, BODY, 1_700_000_100L, 300)).isTrue();
        assertThat(Signature.verify(Signature.newSecret(), header, BODY, 1_700_000_100L, 300)).isFalse();
        assertThat(Signature.verify(secret, header, "{}".getBytes(StandardCharsets.UTF_8), 1_700_000_100L, 300)).isFalse();
        assertThat(Signature.verify(secret, header, BODY, 1_700_000_301L, 300)).as("a replay after the tolerance").isFalse();
        assertThat(Signature.verify(secret, header.replace("t=1700000000", "t=1700000200"), BODY, 1_700_000_200L, 300))
                .as("a moved timestamp breaks the signature").isFalse();
    }

    @Test
    @DisplayName("the signature is HMAC-SHA256 of \"t.body\" in hex, as a receiver in any language computes it")
    void knownVector() throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec("whsec_k".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = java.util.HexFormat.of().formatHex(mac.doFinal(("42." + new String(BODY, StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.UTF_8)));
        assertThat(Signature.header("whsec_k", 42, BODY)).isEqualTo("t=42,v1=" + expected);
    }

    @ParameterizedTest(name = "{0} is refused")
    @ValueSource(strings = {"10.0.0.1", "172.16.5.4", "192.168.1.1", "127.0.0.1", "127.1.2.3", "0.0.0.0", "169.254.169.254",
            "100.64.0.1", "224.0.0.1", "255.255.255.255", "::1", "::", "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1",
            "fec0::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::127.0.0.1", "64:ff9b::a00:1", "2002:a00:1::1", "2001:db8::1"})
    void privateAddresses(String address) throws Exception {
        assertThat(TargetGuard.refusal(InetAddress.getByName(address))).isNotNull();
    }

    @ParameterizedTest(name = "{0} is allowed")
    @ValueSource(strings = {"93.184.216.34", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:4700:4700::1111", "::ffff:8.8.8.8",
            "64:ff9b::808:808"})
    void publicAddresses(String address) throws Exception {
        assertThat(TargetGuard.refusal(InetAddress.getByName(address))).isNull();
    }

    @Test
    @DisplayName("backoff doubles per attempt from the base, stays within half to all of it, and is capped at an hour")
    void backoff() {
        assertThat(Dispatcher.backoffMs(10_000, 1, 0)).isEqualTo(5_000);
        assertThat(Dispatcher.backoffMs(10_000, 1, 0.999)).isBetween(9_990L, 10_000L);
        assertThat(Dispatcher.backoffMs(10_000, 3, 0.5)).isEqualTo(30_000);
        assertThat(Dispatcher.backoffMs(10_000, 40, 0.999)).isLessThanOrEqualTo(Dispatcher.MAX_BACKOFF_MS);
        assertThat(Dispatcher.backoffMs(10_000, 40, 0)).isEqualTo(Dispatcher.MAX_BACKOFF_MS / 2);
    }

    @Test
    @DisplayName("an exception is a failure, return to sender or error, or a cancellation once the carrier had the parcel")
    void exceptions() {
        assertThat(Outbox.isException("in_transit", "failure")).isTrue();
        assertThat(Outbox.isException("in_transit", "return_to_sender")).isTrue();
        assertThat(Outbox.isException(null, "error")).isTrue();
        assertThat(Outbox.isException("in_transit", "cancelled")).isTrue();
        assertThat(Outbox.isException("pre_transit", "cancelled")).isFalse();
        assertThat(Outbox.isException("in_transit", "delivered")).isFalse();
    }
}
