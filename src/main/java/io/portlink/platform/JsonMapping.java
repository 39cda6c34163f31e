package io.portlink.platform;

import java.io.IOException;
import java.math.BigDecimal;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.databind.type.LogicalType;

import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * How the API's JSON maps to and from Java: decimals written as exact strings, scalars read strictly as their field's
 * JSON type, unknown fields refused, and {@link NumberOrText} for the text fields that take a number too.
 * <p>
 * Quantities and prices leave the API as exact decimal strings without trailing zeros ({@code "120"}, {@code "2.35"}):
 * a JSON number such as {@code 120.0000} is read as a binary float by most clients, and the database's scale says
 * nothing about the order. The OpenAPI document says the same (mp.openapi.schema.java.math.BigDecimal). A fractional
 * number sent for a whole-number field is refused rather than cut, and a field a body does not have is refused rather
 * than ignored.
 * <p>
 * Every other scalar is read as the JSON type its field has, never converted from another: a whole-number field
 * ({@code int}, {@code Integer}, {@code long}, {@code Long}) refuses a text ({@code "5"}, {@code ""}, {@code "١٢"}) and
 * {@code true}; a {@code Boolean} refuses a text ({@code "true"}) and a number; a text field refuses a number and
 * {@code true}/{@code false}; a choice (an enum) refuses its position as a number. Each is a 422 naming the field
 * ({@link Problems#wrongJsonType}). Decimals ({@code BigDecimal}) still take a string, as the API documents them, and a
 * text field that holds an amount or a count says so with {@link NumberOrText}. The retention endpoint reads its body
 * field by field with the same rule.
 */
@Singleton
public class JsonMapping implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.registerModule(new SimpleModule("plain-decimals").addSerializer(BigDecimal.class, new Plain()));
        // 1.5 for a whole-number field is refused (Problems.wrongJsonType), never cut to 1
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        // a field the body does not have is a 422 naming it (Problems.wrongJsonType), never silently dropped: a typo
        // such as "pipline" would otherwise create something other than what the caller meant
        mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        // {…}{…} or {…} and more: whatever follows the body's value would be silently dropped (a second order never
        // created, a second identifier of an erasure never erased); a 400 instead (Problems.wrongJsonType)
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        // {"a":1,"a":2}: which value was meant is unknown; refused (Problems.badJson) rather than the last one winning
        mapper.enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        strictScalars(mapper);
    }

    /**
     * No scalar is converted from another JSON type: Jackson would read {@code "5"} and {@code "١٢"} (Arabic-Indic
     * digits) as 5 and 12, {@code ""} as null or 0, {@code 1} as true and {@code 5} as the text "5", so a client's
     * mistake would be stored as something it never meant. Floats (BigDecimal) keep their default: a string is how the
     * API writes a decimal.
     */
    static void strictScalars(ObjectMapper mapper) {
        // " " is refused like "" instead of being read as null
        mapper.coercionConfigFor(LogicalType.Integer).setAcceptBlankAsEmpty(false)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Boolean).setAcceptBlankAsEmpty(false)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        // 0 for "send" would be the enum's first constant (PO_AND_LINK: the order mailed as a PDF), never what was
        // meant
        mapper.enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS);
        mapper.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    }

    /**
     * For a text field that holds a number or may (a shipment's {@code internal.cost}, a sales order line's
     * {@code quantity}, a product's {@code supplier} as a connection id): a JSON number is taken as its digits as
     * written ({@code 41250.50} as {@code "41250.50"}), as a string is, so that the field's own rules read both;
     * {@code true}, an object or a list is a 422 saying the field must be a number. The strict mapper's one exception
     * for text fields, for these fields only. Such a field says so in the OpenAPI document with
     * {@code @Schema(ref = NumberOrText.SCHEMA)}: a string or a number (application.properties,
     * mp.openapi.schema.io.portlink.platform.JsonMapping$NumberOrText).
     */
    public static final class NumberOrText extends StdScalarDeserializer<String> {

        /** The OpenAPI document's name for the schema of such a field: {@code "type": ["string", "number"]}. */
        public static final String SCHEMA = "NumberOrText";

        public NumberOrText() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser p, DeserializationContext context) throws IOException {
            if (p.hasToken(JsonToken.VALUE_NUMBER_INT) || p.hasToken(JsonToken.VALUE_NUMBER_FLOAT)
                    || p.hasToken(JsonToken.VALUE_STRING)) {
                return p.getText();
            }
            return (String) context.handleUnexpectedToken(Number.class, p);
        }
    }

    /** {@code 2.3500} as {@code "2.35"}, {@code 1E+3} as {@code "1000"}. */
    static final class Plain extends StdSerializer<BigDecimal> {
        Plain() {
            super(BigDecimal.class);
        }

        @Override
        public void serialize(BigDecimal value, JsonGenerator out, SerializerProvider provider) throws IOException {
            BigDecimal stripped = value.stripTrailingZeros();
            out.writeString((stripped.scale() < 0 ? stripped.setScale(0) : stripped).toPlainString());
        }
    }
}
