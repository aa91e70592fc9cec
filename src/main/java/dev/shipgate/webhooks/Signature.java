package dev.shipgate.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signatures of outbound deliveries, in Stripe's scheme (https://docs.stripe.com/webhooks#verify-manually):
 * {@code Shipgate-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">}, keyed with the endpoint's
 * secret as UTF-8 bytes. The timestamp is inside the signed text, so a receiver that refuses a {@code t}
 * older than a few minutes (and remembers {@code Shipgate-Event-Id}s it handled) cannot be fooled by a
 * replayed request. {@code v1} names the scheme so a later one can be sent beside it. During a secret
 * rotation's overlap the header carries two {@code v1} entries, the new secret's first and the previous
 * one's second (as Stripe does while an old secret has not expired): a receiver accepts the request when
 * any {@code v1} matches its secret.
 */
public final class Signature {

    public static final String HEADER = "Shipgate-Signature";
    public static final String EVENT_ID = "Shipgate-Event-Id";
    public static final String EVENT_TYPE = "Shipgate-Event-Type";
    /** Secrets start with this, as Stripe's and Standard Webhooks' do, so they are recognisable in a leak scan. */
    static final String SECRET_PREFIX = "whsec_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Signature() {
    }

    /** A new endpoint secret: {@value #SECRET_PREFIX} and 32 random bytes, base64url. */
    public static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return SECRET_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The header value for {@code body} sent at {@code unixSeconds}. */
    public static String header(String secret, long unixSeconds, byte[] body) {
        return header(secret, null, unixSeconds, body);
    }

    /**
     * The header value for {@code body} sent at {@code unixSeconds}, signed with {@code secret} and, when
     * not null, also with {@code previous} (a rotated-out secret still inside its overlap).
     */
    public static String header(String secret, String previous, long unixSeconds, byte[] body) {
        String header = "t=" + unixSeconds + ",v1=" + HexFormat.of().formatHex(hmac(secret, unixSeconds, body));
        return previous == null ? header : header + ",v1=" + HexFormat.of().formatHex(hmac(previous, unixSeconds, body));
    }

    /**
     * What a receiver does: true when {@code header} carries a {@code v1} signature of {@code body} under
     * {@code secret} (any of its {@code v1} entries) and its {@code t} is within {@code toleranceSeconds} of
     * {@code nowSeconds}.
     */
    public static boolean verify(String secret, String header, byte[] body, long nowSeconds, long toleranceSeconds) {
        if (header == null) {
            return false;
        }
        Long t = null;
        java.util.List<String> v1 = new java.util.ArrayList<>();
        for (String part : header.split(",")) {
            String[] kv = part.trim().split("=", 2);
            if (kv.length == 2 && kv[0].equals("t") && kv[1].matches("[0-9]{1,12}")) {
                t = Long.parseLong(kv[1]);
            } else if (kv.length == 2 && kv[0].equals("v1") && kv[1].matches("[0-9a-f]{64}")) {
                v1.add(kv[1]);
            }
        }
        if (t == null || v1.isEmpty() || Math.abs(nowSeconds - t) > toleranceSeconds) {
            return false;
        }
        byte[] expected = hmac(secret, t, body);
        boolean any = false;
        for (String candidate : v1) {
            any |= MessageDigest.isEqual(HexFormat.of().parseHex(candidate), expected);
        }
        return any;
    }

    private static byte[] hmac(String secret, long unixSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((unixSeconds + ".").getBytes(StandardCharsets.US_ASCII));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JRE", e);
        }
    }
}
