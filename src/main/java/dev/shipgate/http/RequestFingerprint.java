package dev.shipgate.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.vertx.core.MultiMap;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What makes two requests with one {@code Idempotency-Key} "the same request": their meaning, not their bytes.
 * Stripe compares a retry's parameters with the first request's, and the IETF Idempotency-Key draft leaves the
 * fingerprint to the server. A client library that serialises the same body again may change whitespace, member
 * order or how a number is written ({@code 1.50} for {@code 1.5}), and may add {@code ; charset=utf-8} to the
 * content type. None of that makes it another request, so none of it may turn a retry into a 422.
 *
 * <p>The fingerprint is SHA-256 over the method, the path, the query parameters sorted by name then value, the
 * media type without parameters (lower case; a charset other than UTF-8 is kept), and the body. A JSON body
 * ({@code application/json} or {@code +json}) is first written canonically: members sorted by name, no
 * whitespace, numbers as one decimal form each (no trailing zeros, an exponent only for very large or small ones). Any other body is taken byte for byte, and so is a
 * JSON body that does not parse (the request fails validation anyway). Values are compared exactly: one character
 * or digit more is another request.
 */
final class RequestFingerprint {

    /** The first byte of every fingerprint of this form; older fingerprints (32 bytes) have none. */
    static final byte VERSION = 1;
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private RequestFingerprint() {
    }

    /**
     * The fingerprint: {@link #VERSION} then the 32-byte SHA-256 digest of the canonical request.
     *
     * @param query the raw query string, or null; {@code params} its decoded parameters
     * @param contentType the {@code Content-Type} header, or null
     * @param body the body's bytes, or null when there is none
     */
    static byte[] of(String method, String path, MultiMap params, String contentType, byte[] body) {
        StringBuilder head = new StringBuilder(method).append(' ').append(path).append('?');
        TreeMap<String, List<String>> sorted = new TreeMap<>();
        for (Map.Entry<String, String> param : params) {
            sorted.computeIfAbsent(param.getKey(), k -> new ArrayList<>()).add(param.getValue());
        }
        String joiner = "";
        for (Map.Entry<String, List<String>> param : sorted.entrySet()) {
            for (String value : param.getValue().stream().sorted().toList()) {
                head.append(joiner).append(escape(param.getKey())).append('=').append(escape(value));
                joiner = "&";
            }
        }
        String media = mediaType(contentType);
        head.append('\n').append(media).append('\n');
        MessageDigest digest = sha256();
        digest.update(head.toString().getBytes(StandardCharsets.UTF_8));
        if (body != null) {
            digest.update(isJson(media) ? canonicalJson(body) : body);
        }
        byte[] hash = digest.digest();
        byte[] versioned = new byte[hash.length + 1];
        versioned[0] = VERSION;
        System.arraycopy(hash, 0, versioned, 1, hash.length);
        return versioned;
    }

    /**
     * The fingerprint this service stored before {@link #VERSION} 1: SHA-256 over the raw method, path, query,
     * {@code Content-Type} and body bytes. A key claimed by an older version during an upgrade still matches.
     */
    static byte[] legacy(String method, String path, String query, String contentType, byte[] body) {
        MessageDigest digest = sha256();
        digest.update((method + " " + path + "?" + (query == null ? "" : query) + "\n"
                + (contentType == null ? "" : contentType) + "\n").getBytes(StandardCharsets.UTF_8));
        if (body != null) {
            digest.update(body);
        }
        return digest.digest();
    }

    /** The media type in lower case, with a charset parameter only when it is not UTF-8 ("" for none). */
    static String mediaType(String contentType) {
        if (contentType == null) {
            return "";
        }
        String[] parts = contentType.split(";");
        StringBuilder media = new StringBuilder(parts[0].trim().toLowerCase(Locale.ROOT));
        for (int i = 1; i < parts.length; i++) {
            String[] param = parts[i].split("=", 2);
            if (param.length == 2 && param[0].trim().equalsIgnoreCase("charset")) {
                String charset = param[1].trim().replace("\"", "").toLowerCase(Locale.ROOT);
                if (!charset.equals("utf-8") && !charset.equals("utf8")) {
                    media.append(";charset=").append(charset);
                }
            }
        }
        return media.toString();
    }

    private static boolean isJson(String media) {
        String type = media.contains(";") ? media.substring(0, media.indexOf(';')) : media;
        return type.equals("application/json") || type.endsWith("+json");
    }

    /** The body written canonically, or the body itself when it is not one JSON value. */
    static byte[] canonicalJson(byte[] body) {
        try {
            JsonNode tree = JSON.readTree(body);
            if (tree == null || tree.isMissingNode()) {
                return body;
            }
            StringBuilder out = new StringBuilder(body.length);
            write(tree, out);
            return out.toString().getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            return body;
        }
    }

    private static void write(JsonNode node, StringBuilder out) throws JsonProcessingException {
        if (node.isObject()) {
            TreeMap<String, JsonNode> members = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> member = it.next();
                members.put(member.getKey(), member.getValue());
            }
            out.append('{');
            String joiner = "";
            for (Map.Entry<String, JsonNode> member : members.entrySet()) {
                out.append(joiner).append(JSON.writeValueAsString(member.getKey())).append(':');
                write(member.getValue(), out);
                joiner = ",";
            }
            out.append('}');
        } else if (node.isArray()) {
            out.append('[');
            String joiner = "";
            for (JsonNode element : node) {
                out.append(joiner);
                write(element, out);
                joiner = ",";
            }
            out.append(']');
        } else if (node.isNumber()) {
            // BigDecimal's own text of the stripped value: one form per number, and 1e999999999 stays short
            BigDecimal number = node.decimalValue();
            out.append(number.signum() == 0 ? "0" : number.stripTrailingZeros().toString());
        } else {
            out.append(JSON.writeValueAsString(node));
        }
    }

    private static String escape(String text) {
        return text.replace("%", "%25").replace("&", "%26").replace("=", "%3D");
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
