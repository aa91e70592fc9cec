package dev.shipgate.http;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.vertx.core.buffer.Buffer;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;

/**
 * JSON in and out of the API: EasyPost's snake_case names, money as decimal strings (as EasyPost sends
 * rates), ISO-8601 times. Request bodies are bound to records and validated with Bean Validation; every
 * failure becomes a problem naming the field. Binding is strict where silent coercion would change what
 * is stored: a number or boolean given for a text field (a ZIP code sent as {@code 2134}) is a 400, and
 * text PostgreSQL cannot store unchanged (U+0000, unpaired surrogates) is a 422, both before any side
 * effect (see {@link StorableText}).
 */
public final class Json {

    /** Request bodies: strict (see the class comment). Also the one encoder. */
    private static final ObjectMapper MAPPER = mapper(true);
    /**
     * Requests this service stored itself, written by {@link #encode} (money and measures as decimal
     * strings) possibly by an older version: read back as written, unknown members ignored.
     */
    private static final ObjectMapper STORED = mapper(false);

    private static final Validator VALIDATOR = Validation.byDefaultProvider().configure()
            .messageInterpolator(new ParameterMessageInterpolator())
            .buildValidatorFactory()
            .getValidator();

    private static ObjectMapper mapper(boolean strict) {
        ObjectMapper mapper = JsonMapper.builder()
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, strict)
                // a member given twice is a 400, not "last one wins" ({"strategy":"cheapest","strategy":"fastest"})
                .configure(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION, strict)
                // a whole number field takes whole numbers: a customs quantity of 1.5 is refused, not cut to 1
                .configure(DeserializationFeature.ACCEPT_FLOAT_AS_INT, !strict)
                .enable(com.fasterxml.jackson.databind.MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
                .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.ALWAYS, JsonInclude.Include.ALWAYS))
                .build();
        mapper.configOverride(BigDecimal.class).setFormat(JsonFormat.Value.forShape(JsonFormat.Shape.STRING));
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        if (strict) {
            // Numbers must be numbers (a weight sent as "15" is refused as a ZIP sent as 2134 is); money, a
            // decimal string by convention, binds through Money instead.
            for (LogicalType numeric : List.of(LogicalType.Integer, LogicalType.Float, LogicalType.Boolean)) {
                mapper.coercionConfigFor(numeric).setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
            }
        }
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(64).maxStringLength(1_000_000).maxNumberLength(100).build());
        return mapper;
    }

    private Json() {
    }

    public static Buffer encode(Object value) {
        if (value instanceof io.vertx.core.json.JsonObject json) {
            return json.toBuffer();
        }
        try {
            return Buffer.buffer(MAPPER.writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName(), e);
        }
    }

    /**
     * Binds a request body and validates it: 400 naming the field for malformed JSON, trailing data after
     * the value or a wrong type (a number where text is expected, text where a number is, an enum value
     * with the accepted ones listed), 422 naming an unknown member with the accepted names (a misspelt
     * {@code dryRun} must never be ignored and the label bought) and each field that breaks a constraint
     * or holds text PostgreSQL could not store unchanged.
     */
    public static <T> T decode(Buffer body, Class<T> type) {
        return validate(bind(body, type, true));
    }

    /**
     * A request this service stored itself (a bulk item, a creation to reconcile), read back as leniently
     * as it was written: members the record no longer has are ignored, so rows written by an older
     * version stay readable.
     */
    public static <T> T decodeStored(Buffer body, Class<T> type) {
        return validate(bind(body, type, false));
    }

    private static <T> T bind(Buffer body, Class<T> type, boolean strict) {
        if (body == null || body.length() == 0) {
            throw Problem.of(ProblemType.BAD_REQUEST, "a JSON body is required").exception();
        }
        T value;
        ObjectMapper mapper = strict ? MAPPER : STORED;
        com.fasterxml.jackson.databind.ObjectReader reader = mapper.readerFor(type);
        try (com.fasterxml.jackson.core.JsonParser parser = mapper.createParser(body.getBytes())) {
            value = reader.readValue(parser);
            trailing(parser);
        } catch (UnrecognizedPropertyException e) {
            String field = path(e);
            List<String> accepted = accepted(e.getReferringClass());
            String reason = "unknown field" + (accepted.isEmpty() ? "" : "; accepted: " + String.join(", ", accepted));
            throw Problem.invalid(422, field + ": " + reason, List.of(new Problem.InvalidParam(field, reason))).exception();
        } catch (FieldFault e) {
            String field = path(e);
            throw Problem.invalid(400, field + ": " + e.reason, List.of(new Problem.InvalidParam(field, e.reason))).exception();
        } catch (MismatchedInputException e) {
            String field = path(e);
            String reason = reason(e);
            throw Problem.invalid(400, field + ": " + reason,
                    List.of(new Problem.InvalidParam(field, reason))).exception();
        } catch (JsonMappingException e) {
            duplicate(e);
            String field = path(e);
            if (!"body".equals(field)) {
                String reason = outOfRange(e) ? "is out of range for this field" : "wrong type or shape";
                throw Problem.invalid(400, field + ": " + reason, List.of(new Problem.InvalidParam(field, reason))).exception();
            }
            throw Problem.of(ProblemType.BAD_REQUEST, "the body does not match the expected shape").exception();
        } catch (com.fasterxml.jackson.core.JsonParseException e) {
            duplicate(e);
            throw Problem.of(ProblemType.MALFORMED_JSON, "the body is not valid JSON").exception();
        } catch (IOException e) {
            throw Problem.of(ProblemType.MALFORMED_JSON, "the body is not valid JSON").exception();
        }
        if (value == null) {
            throw Problem.of(ProblemType.BAD_REQUEST, "a JSON object is required").exception();
        }
        return value;
    }

    /** One JSON value and nothing after it but white space: {@code {...} xyz} or {@code {...}{...}} is a 400. */
    private static void trailing(com.fasterxml.jackson.core.JsonParser parser) {
        boolean more;
        try {
            more = parser.nextToken() != null;
        } catch (IOException e) {
            more = true;
        }
        if (more) {
            throw Problem.of(ProblemType.BAD_REQUEST, "trailing data after the JSON value").exception();
        }
    }

    private static String reason(MismatchedInputException e) {
        Class<?> target = e.getTargetType();
        if (target != null && target.isEnum()) {
            return "must be one of " + java.util.Arrays.stream(target.getEnumConstants())
                    .map(c -> c.toString().toLowerCase(java.util.Locale.ROOT)).collect(Collectors.joining(", "));
        }
        if (target == int.class || target == Integer.class || target == long.class || target == Long.class
                || target == short.class || target == Short.class) {
            return "must be a whole number (a JSON integer such as 2)";
        }
        if (target != null && (Number.class.isAssignableFrom(target) || target.isPrimitive() && target != boolean.class)) {
            return "must be a JSON number";
        }
        if (target == Boolean.class || target == boolean.class) {
            return "must be true or false";
        }
        if (target == String.class) {
            return "must be a JSON string";
        }
        return "wrong type or shape";
    }

    /** The JSON names a request record takes, as a refusal of an unknown one lists them. */
    private static List<String> accepted(Class<?> type) {
        if (type == null || !type.isRecord()) {
            return List.of();
        }
        return java.util.Arrays.stream(type.getRecordComponents())
                .map(c -> snake(c.getName())).toList();
    }

    /** A member that reads but is not what the field takes, with the reason to tell the client. */
    public static final class FieldFault extends MismatchedInputException {
        private final String reason;

        public FieldFault(com.fasterxml.jackson.core.JsonParser parser, Class<?> target, String reason) {
            super(parser, reason, target);
            this.reason = reason;
        }
    }

    /**
     * A USD amount as the API takes money: a decimal string ({@code "25.00"}) or a JSON number, in plain
     * decimal notation: an exponent or white space ({@code "1e3"}, {@code " 5"}) is a 400 naming the field;
     * the field's own rules (not negative, at most two decimals: {@code "5.000"}) then answer 422.
     */
    public static final class Money extends com.fasterxml.jackson.databind.JsonDeserializer<BigDecimal> {
        public static final String REASON = "must be a USD amount such as \"25.00\": digits with at most two decimals, no exponent or spaces";
        /** Plain decimal notation; the sign and the number of decimals are the field's rules, checked after (422). */
        private static final java.util.regex.Pattern SHAPE = java.util.regex.Pattern.compile("-?[0-9]{1,12}(\\.[0-9]{1,12})?");

        @Override
        public BigDecimal deserialize(com.fasterxml.jackson.core.JsonParser p,
                                      com.fasterxml.jackson.databind.DeserializationContext ctxt) throws IOException {
            com.fasterxml.jackson.core.JsonToken t = p.currentToken();
            if (t == com.fasterxml.jackson.core.JsonToken.VALUE_STRING || t == com.fasterxml.jackson.core.JsonToken.VALUE_NUMBER_INT
                    || t == com.fasterxml.jackson.core.JsonToken.VALUE_NUMBER_FLOAT) {
                String text = p.getText();
                if (SHAPE.matcher(text).matches()) {
                    return new BigDecimal(text);
                }
            }
            throw new FieldFault(p, BigDecimal.class, REASON);
        }
    }

    /**
     * Bean Validation plus {@link StorableText}, for bodies bound here and for requests built from other
     * formats (CSV); fails with one 422 naming every field at fault.
     */
    public static <T> T validate(T value) {
        Set<ConstraintViolation<T>> violations = VALIDATOR.validate(value);
        List<Problem.InvalidParam> params = new ArrayList<>(StorableText.problems(value));
        if (value instanceof Checked checked) {
            params.addAll(checked.problems());
        }
        for (ConstraintViolation<T> v : violations) {
            params.add(new Problem.InvalidParam(snake(v.getPropertyPath().toString()), v.getMessage()));
        }
        if (!params.isEmpty()) {
            params.sort(Comparator.comparing(Problem.InvalidParam::name));
            String detail = params.stream().map(p -> p.name() + " " + p.reason()).collect(Collectors.joining("; "));
            throw Problem.invalid(422, detail, params).exception();
        }
        return value;
    }

    /**
     * A request with rules across its members (give exactly one of two): {@link #validate} adds its
     * problems to Bean Validation's, each naming a member the client can send (a Bean Validation
     * {@code @AssertTrue} method would be named after the method, {@code rate_id_or_strategy}, which is no field).
     */
    public interface Checked {
        /** The members at fault, by their JSON names; empty when the request keeps its rules. */
        List<Problem.InvalidParam> problems();
    }

    /**
     * The problems of "give exactly one of {@code first} or {@code second}" (JSON names), given whether each
     * is present: both named, or none when exactly one is given.
     */
    public static List<Problem.InvalidParam> exactlyOne(String first, boolean hasFirst, String second, boolean hasSecond,
                                                        String reason) {
        if (hasFirst != hasSecond) {
            return List.of();
        }
        String why = (hasFirst ? "give only one of " : "give one of ") + first + " or " + second + reason;
        return List.of(new Problem.InvalidParam(first, why), new Problem.InvalidParam(second, why));
    }

    /**
     * The problems of a list whose items must differ (the shipments of a batch, a scan form or a pickup): each
     * repeat named by its index ({@code shipment_ids[3]}) with the index it repeats. Silently dropping a
     * repeat would hide a client's mistake (one shipment listed twice, another one missing). Empty when
     * {@code values} is null or has no repeats.
     */
    public static List<Problem.InvalidParam> noRepeats(String field, List<?> values) {
        if (values == null) {
            return List.of();
        }
        java.util.Map<Object, Integer> first = new java.util.HashMap<>();
        List<Problem.InvalidParam> problems = new java.util.ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            Integer earlier = values.get(i) == null ? null : first.putIfAbsent(values.get(i), i);
            if (earlier != null) {
                problems.add(new Problem.InvalidParam(field + "[" + i + "]", "repeats " + field + "[" + earlier + "]"));
            }
        }
        return problems;
    }

    /** Jackson's message for a member given twice under {@code STRICT_DUPLICATE_DETECTION}. */
    private static final java.util.regex.Pattern DUPLICATE = java.util.regex.Pattern.compile("Duplicate field '(.*)'");

    /**
     * The path ({@code params.arguments.strategy}) of the first member given twice in {@code body}, or null
     * when none is (or the body is not JSON at all, which the caller's own parse reports). For bodies read
     * as plain JSON values (JSON-RPC messages) where a later duplicate would silently win.
     */
    public static String duplicateMember(Buffer body) {
        if (body == null) {
            return null;
        }
        try (com.fasterxml.jackson.core.JsonParser parser = MAPPER.getFactory().createParser(body.getBytes())) {
            parser.enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            while (parser.nextToken() != null) {
                // reading every token is the check
            }
            return null;
        } catch (ProblemException e) {
            return e.problem().invalidParams().isEmpty() ? null : e.problem().invalidParams().get(0).name();
        } catch (com.fasterxml.jackson.core.JsonParseException e) {
            try {
                duplicate(e);
            } catch (ProblemException named) {
                return named.problem().invalidParams().get(0).name();
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Throws the 400 naming a member given twice when {@code failure} (or its cause) is Jackson's refusal of one. */
    private static void duplicate(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof com.fasterxml.jackson.core.JsonParseException e && e.getProcessor() != null) {
                java.util.regex.Matcher duplicate = DUPLICATE.matcher(String.valueOf(e.getOriginalMessage()));
                if (duplicate.find()) {
                    String field = memberPath(e.getProcessor().getParsingContext(), duplicate.group(1));
                    String reason = "is given more than once; give each member once";
                    throw Problem.invalid(400, field + ": " + reason, List.of(new Problem.InvalidParam(field, reason))).exception();
                }
            }
        }
    }

    /** Whether a binding failed on a number too large (or small) for its field, such as a quantity of 1e12. */
    private static boolean outOfRange(JsonMappingException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof com.fasterxml.jackson.core.exc.InputCoercionException
                    || t instanceof ArithmeticException || t instanceof NumberFormatException
                    || String.valueOf(t.getMessage()).contains("out of range")) {
                return true;
            }
        }
        return false;
    }

    /** The API's path ({@code a.b[0].c}) of member {@code name} inside parsing context {@code context}. */
    private static String memberPath(com.fasterxml.jackson.core.JsonStreamContext context, String name) {
        java.util.Deque<String> parts = new java.util.ArrayDeque<>();
        parts.push(name);
        for (com.fasterxml.jackson.core.JsonStreamContext c = context.getParent(); c != null && !c.inRoot(); c = c.getParent()) {
            parts.push(c.inArray() ? "[" + c.getCurrentIndex() + "]" : c.getCurrentName());
        }
        return String.join(".", parts).replace(".[", "[");
    }

    private static String path(JsonMappingException e) {
        String path = e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
        return path.isEmpty() ? "body" : path;
    }

    private static String snake(String propertyPath) {
        return propertyPath.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase()
                .replaceAll("\\.<list element>", "").replaceAll("<list element>", "");
    }
}
