package io.portlink.platform;

import java.io.IOException;
import java.math.BigDecimal;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * Quantities and prices leave the API as exact decimal strings without trailing zeros ({@code "120"}, {@code "2.35"}):
 * a JSON number such as {@code 120.0000} is read as a binary float by most clients, and the database's scale says
 * nothing about the order. The OpenAPI document says the same (mp.openapi.schema.java.math.BigDecimal). A fractional
 * number sent for a whole-number field is refused rather than cut, and a field a body does not have is refused rather
 * than ignored.
 */
@Singleton
public class JsonDecimals implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.registerModule(new SimpleModule("plain-decimals").addSerializer(BigDecimal.class, new Plain()));
        // 1.5 for a whole-number field is refused (Problems.wrongJsonType), never cut to 1
        mapper.disable(com.fasterxml.jackson.databind.DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        // a field the body does not have is a 422 naming it (Problems.wrongJsonType), never silently dropped: a typo
        // such as "pipline" would otherwise create something other than what the caller meant
        mapper.enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
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
