package dev.shipgate.http;

/**
 * Text shown to people (names, references, address lines) must look like what it is: bidirectional
 * overrides and isolates ({@code "\u202Eadmin"} shows as {@code nimda}), other invisible format
 * characters and control characters other than tab and line breaks are refused. Zero-width joiners stay
 * allowed: emoji sequences and several scripts need them. NUL is {@link StorableText}'s to refuse.
 */
public final class DisplayText {

    public static final String REASON = "must not contain control, bidirectional or other invisible format characters";

    private DisplayText() {
    }

    /** True when {@code text} holds a character that would hide or disguise what it shows. */
    public static boolean disguised(CharSequence text) {
        if (text == null) {
            return false;
        }
        return text.codePoints().anyMatch(DisplayText::refused);
    }

    private static boolean refused(int c) {
        if (c == 0 || c == '\t' || c == '\n' || c == '\r' || c == 0x200C || c == 0x200D) {
            return false;
        }
        int type = Character.getType(c);
        return type == Character.CONTROL || type == Character.FORMAT;
    }
}
