package io.portlink.purchasing;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;

/**
 * A quantity or price as a JSON body sends it: a JSON number ({@code 1000.5}, read as JSON writes it, never through a
 * double) or a string ({@code "1,000.5"}, read under the request's decimal mark).
 * {@link io.portlink.platform.Fields#decimal} holds the rules for both. The OpenAPI document describes it as a string
 * or a number (application.properties, mp.openapi.schema.io.portlink.purchasing.DecimalInput): an annotation here would
 * describe the record's own components as an object.
 */
@JsonDeserialize(using = DecimalInput.Reader.class)
public record DecimalInput(String text, boolean jsonNumber, String otherType) {

    /**
     * A number or a string; {@code otherType} is null, or names what came instead ({@code true}, {@code an object}) so
     * that the field's error can say it like every other field error (never a parser's message).
     */
    public DecimalInput(String text, boolean jsonNumber) {
        this(text, jsonNumber, null);
    }

    /** Text as a person or a spreadsheet writes it; null stays null. */
    public static DecimalInput of(String text) {
        return text == null ? null : new DecimalInput(text, false);
    }

    /** Keeps a JSON number's own digits ({@code 1000.0}, {@code 1.5E+3}) so nothing is rounded before the rules. */
    public static final class Reader extends StdDeserializer<DecimalInput> {

        public Reader() {
            super(DecimalInput.class);
        }

        @Override
        public DecimalInput deserialize(JsonParser p, DeserializationContext context) throws IOException {
            JsonToken token = p.currentToken();
            if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
                return new DecimalInput(p.getText(), true);
            }
            if (token == JsonToken.VALUE_STRING) {
                return new DecimalInput(p.getText(), false);
            }
            // true, false, an object or an array: skipped here and refused by the rules, naming the field
            String what = switch (token) {
            case VALUE_TRUE -> "true";
            case VALUE_FALSE -> "false";
            case START_OBJECT -> "an object";
            case START_ARRAY -> "a list";
            default -> token.asString() == null ? "another kind of value" : token.asString();
            };
            p.skipChildren();
            return new DecimalInput(null, false, what);
        }
    }
}
