package dev.shipgate.shipments;

import dev.shipgate.http.Problem;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The label file formats EasyPost offers ({@code options.label_format} at purchase, {@code file_format} for
 * label conversion and batch documents): PNG (EasyPost's default, and the only format it converts from),
 * PDF (a 4x6 in page), ZPL and EPL2 (thermal printer languages). Clients write them in any case; EasyPost is
 * sent them in upper case.
 */
public enum LabelFormat {
    PNG("image/png"), PDF("application/pdf"), ZPL("application/zpl"), EPL2("application/epl2");

    private final String mediaType;

    LabelFormat(String mediaType) {
        this.mediaType = mediaType;
    }

    /** The names clients use: png, pdf, zpl, epl2. */
    public static final List<String> NAMES = Arrays.stream(values()).map(LabelFormat::lowerName).toList();

    /** The media type of a file in this format. */
    public String mediaType() {
        return mediaType;
    }

    /** How this API and the database write it: lower case. */
    public String lowerName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The format of a file of media type {@code mediaType} (EasyPost's {@code label_file_type}), else {@code fallback}. */
    public static LabelFormat ofMediaType(String mediaType, LabelFormat fallback) {
        for (LabelFormat f : values()) {
            if (f.mediaType.equalsIgnoreCase(String.valueOf(mediaType))) {
                return f;
            }
        }
        return fallback;
    }

    /**
     * The format named {@code raw} (any case), or a 422 problem naming {@code field} when it is none of them;
     * null when {@code raw} is null.
     */
    public static LabelFormat parse(String field, String raw) {
        if (raw == null) {
            return null;
        }
        for (LabelFormat f : values()) {
            if (f.name().equalsIgnoreCase(raw.strip())) {
                return f;
            }
        }
        throw Problem.invalid(422, field + " must be one of " + String.join(", ", NAMES),
                List.of(new Problem.InvalidParam(field, "must be one of " + String.join(", ", NAMES)))).exception();
    }
}
