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

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(com.fasterxml.jackson.databind.MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.ALWAYS, JsonInclude.Include.ALWAYS))
            .build();

    private static final Validator VALIDATOR = Validation.byDefaultProvider().configure()
            .messageInterpolator(new ParameterMessageInterpolator())
            .buildValidatorFactory()
            .getValidator();

    static {
        MAPPER.configOverride(BigDecimal.class).setFormat(JsonFormat.Value.forShape(JsonFormat.Shape.STRING));
        MAPPER.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(64).maxStringLength(1_000_000).maxNumberLength(100).build());
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
     * Binds a request body and validates it: 400 naming the field for malformed JSON or a wrong type
     * (including a number where text is expected), 422 naming each field that breaks a constraint or
     * holds text PostgreSQL could not store unchanged.
     */
    public static <T> T decode(Buffer body, Class<T> type) {
        if (body == null || body.length() == 0) {
            throw Problem.of(ProblemType.BAD_REQUEST, "a JSON body is required").exception();
        }
        T value;
        try {
            value = MAPPER.readValue(body.getBytes(), type);
        } catch (MismatchedInputException e) {
            String field = path(e);
            throw Problem.invalid(400, field + ": wrong type or shape",
                    List.of(new Problem.InvalidParam(field, "wrong type or shape"))).exception();
        } catch (JsonMappingException e) {
            throw Problem.of(ProblemType.BAD_REQUEST, "the body does not match the expected shape").exception();
        } catch (IOException e) {
            throw Problem.of(ProblemType.MALFORMED_JSON, "the body is not valid JSON").exception();
        }
        if (value == null) {
            throw Problem.of(ProblemType.BAD_REQUEST, "a JSON object is required").exception();
        }
        return validate(value);
    }

    /**
     * Bean Validation plus {@link StorableText}, for bodies bound here and for requests built from other
     * formats (CSV); fails with one 422 naming every field at fault.
     */
    public static <T> T validate(T value) {
        Set<ConstraintViolation<T>> violations = VALIDATOR.validate(value);
        List<Problem.InvalidParam> params = new ArrayList<>(StorableText.problems(value));
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
