package dev.shipgate.bulk;

import dev.shipgate.http.Problem;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * An uploaded file's bytes as text, decoded as the operator's tools wrote them. A byte-order mark (Excel's
 * "CSV UTF-8" writes one) is dropped and names the encoding; otherwise the request's {@code charset}
 * parameter is honoured, and without one the file must be UTF-8. Bytes that are not valid in that
 * encoding (a Windows-1252 {@code ü} sent as UTF-8) are never turned into replacement characters and sent
 * on: each such sequence is marked with a character absent from the file, so the cells holding one can be
 * named and refused. The delimiter (comma, semicolon as Excel writes in many European locales, or tab) is
 * the one the header line uses most.
 */
record CsvText(String text, char delimiter, Charset charset, char undecodable, int[] lineStarts) {

    private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    private static final byte[] UTF16LE_BOM = {(byte) 0xFF, (byte) 0xFE};
    private static final byte[] UTF16BE_BOM = {(byte) 0xFE, (byte) 0xFF};
    private static final char NONE = '\0';

    static CsvText decode(byte[] body, String declaredCharset) {
        if (body == null || body.length == 0) {
            throw Problem.invalid(400, "the CSV upload is empty", List.of(new Problem.InvalidParam("body",
                    "must be a CSV file: a header line naming the columns, then one line per shipment"))).exception();
        }
        Charset bom = starts(body, UTF8_BOM) ? StandardCharsets.UTF_8 : starts(body, UTF16LE_BOM) ? StandardCharsets.UTF_16LE
                : starts(body, UTF16BE_BOM) ? StandardCharsets.UTF_16BE : null;
        int skip = bom == null ? 0 : bom.equals(StandardCharsets.UTF_8) ? 3 : 2;
        Charset charset = declaredCharset == null ? (bom == null ? StandardCharsets.UTF_8 : bom) : charset(declaredCharset);
        if (bom != null && !bom.equals(charset)) {
            if (!charset.equals(StandardCharsets.UTF_16) || bom.equals(StandardCharsets.UTF_8)) {
                String reason = "declares charset=" + declaredCharset + " but the file starts with a " + bom.name()
                        + " byte-order mark; declare charset=" + bom.name() + " or none";
                throw Problem.invalid(400, "Content-Type " + reason, List.of(new Problem.InvalidParam("Content-Type", reason)))
                        .exception();
            }
            charset = bom;
        }
        String text;
        char mark = NONE;
        try {
            text = decoder(charset, CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body, skip, body.length - skip)).toString();
        } catch (CharacterCodingException e) {
            String lenient = decode(decoder(charset, CodingErrorAction.REPLACE), body, skip);
            mark = absentFrom(lenient);
            text = decode(decoder(charset, CodingErrorAction.REPLACE).replaceWith(String.valueOf(mark)), body, skip);
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        return new CsvText(text, delimiter(text), charset, mark, lineStarts(text));
    }

    /** True when this cell held bytes that are not valid in the file's encoding. */
    boolean hasUndecodable(String cell) {
        return undecodable != NONE && cell.indexOf(undecodable) >= 0;
    }

    String undecodableReason() {
        String hint = charset.equals(StandardCharsets.UTF_8)
                ? "; save the file as \"CSV UTF-8\", or declare its encoding (Content-Type: text/csv; charset=windows-1252)"
                : "; declare the file's real encoding in Content-Type";
        return "holds bytes that are not valid " + charset.name() + " text" + hint;
    }

    /** The 1-based line holding {@code position}, after any line breaks there (blank lines the parser skipped). */
    int lineAt(long position) {
        int p = (int) position;
        while (p < text.length() && (text.charAt(p) == '\n' || text.charAt(p) == '\r')) {
            p++;
        }
        int i = Arrays.binarySearch(lineStarts, p);
        return i >= 0 ? i + 1 : -i - 1;
    }

    /** The first line at or after {@code line} that is not empty. */
    int firstNonBlankLineFrom(int line) {
        int l = Math.max(1, line);
        while (l < lineStarts.length && lineEnd(l) == lineStarts[l - 1]) {
            l++;
        }
        return l;
    }

    private int lineEnd(int line) {
        int end = line < lineStarts.length ? lineStarts[line] : text.length();
        while (end > lineStarts[line - 1] && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) {
            end--;
        }
        return end;
    }

    private static Charset charset(String name) {
        String unquoted = name.strip().replaceAll("^\"|\"$", "");
        try {
            return Charset.forName(unquoted);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            String reason = "names charset " + unquoted + ", which Shipgate cannot read; use UTF-8 or, for example, windows-1252";
            throw Problem.invalid(400, "Content-Type " + reason, List.of(new Problem.InvalidParam("Content-Type", reason)))
                    .exception();
        }
    }

    private static CharsetDecoder decoder(Charset charset, CodingErrorAction action) {
        return charset.newDecoder().onMalformedInput(action).onUnmappableCharacter(action);
    }

    private static String decode(CharsetDecoder decoder, byte[] body, int skip) {
        try {
            return decoder.decode(ByteBuffer.wrap(body, skip, body.length - skip)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalStateException("a replacing decoder reported an error", e);
        }
    }

    /** A private-use character the text does not contain, to mark undecodable bytes unambiguously. */
    private static char absentFrom(String text) {
        for (char c = '\uE000'; c < '\uF8FF'; c++) {
            if (text.indexOf(c) < 0) {
                return c;
            }
        }
        return '\uFFFD';
    }

    private static boolean starts(byte[] body, byte[] prefix) {
        return body.length >= prefix.length && Arrays.equals(body, 0, prefix.length, prefix, 0, prefix.length);
    }

    /** The delimiter the header line uses most, outside double quotes: comma unless semicolons or tabs outnumber it. */
    private static char delimiter(String text) {
        int commas = 0;
        int semicolons = 0;
        int tabs = 0;
        boolean quoted = false;
        String header = text.replaceFirst("^[\\r\\n]+", "");
        for (int i = 0; i < header.length(); i++) {
            char c = header.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && (c == '\n' || c == '\r')) {
                break;
            } else if (!quoted) {
                commas += c == ',' ? 1 : 0;
                semicolons += c == ';' ? 1 : 0;
                tabs += c == '\t' ? 1 : 0;
            }
        }
        return semicolons > commas && semicolons >= tabs ? ';' : tabs > commas && tabs > semicolons ? '\t' : ',';
    }

    private static int[] lineStarts(String text) {
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r' && (i + 1 == text.length() || text.charAt(i + 1) != '\n')) {
                starts.add(i + 1);
            }
        }
        return starts.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public String toString() {
        return "CsvText[" + text.length() + " chars, delimiter " + delimiter + ", " + charset.name().toLowerCase(Locale.ROOT) + "]";
    }
}
