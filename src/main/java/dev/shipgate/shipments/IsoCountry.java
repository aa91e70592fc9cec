package dev.shipgate.shipments;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Set;

/**
 * A country as EasyPost takes it: an ISO 3166-1 alpha-2 code in capitals ({@code US}, {@code DE}), one of
 * {@link java.util.Locale#getISOCountries()}; null passes (the field's own rule decides whether it is
 * required). Two capital letters alone would let {@code ZZ} through, which EasyPost refuses later (or, as
 * a destination, asks customs for).
 */
@Documented
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.TYPE_USE, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = IsoCountry.Check.class)
public @interface IsoCountry {

    String message() default "must be an ISO 3166-1 alpha-2 country code in capitals, such as US or DE";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** Checks a code against the JDK's list of ISO 3166-1 alpha-2 codes. */
    final class Check implements ConstraintValidator<IsoCountry, String> {
        private static final Set<String> CODES = Set.of(java.util.Locale.getISOCountries());

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            return value == null || CODES.contains(value);
        }
    }
}
