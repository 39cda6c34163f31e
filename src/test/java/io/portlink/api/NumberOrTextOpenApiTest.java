package io.portlink.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;

/**
 * The OpenAPI document says what the API takes: the text fields read with platform.JsonMapping.NumberOrText take a JSON
 * number as well as a string, and the document says so for exactly those fields, so that a client generated from it may
 * send {@code 5} for a sales order line's quantity, as the API accepts.
 */
@QuarkusTest
class NumberOrTextOpenApiTest {

    /** Schema.property of every field that takes a string or a number (platform.JsonMapping.NumberOrText). */
    static final Set<String> NUMBER_OR_TEXT = Set.of("QuantityInput.quantity", "DropshipInput.supplier",
            "InternalInput.stockNumber", "InternalInput.vinSerial", "InternalInput.currency", "InternalInput.cost",
            "InternalInput.salePrice", "InternalInput.paymentsReceived");

    /** The schema of an order line's quantity and price, purchasing.DecimalInput. */
    static final String DECIMAL = "DecimalInput";

    @Test
    void theDocumentSaysStringOrNumberForExactlyTheFieldsThatTakeBoth() throws Exception {
        JsonNode document = document();
        JsonNode schemas = document.path("components").path("schemas");
        Set<String> both = new TreeSet<>();
        schemas.fields()
                .forEachRemaining(schema -> schema.getValue().path("properties").fields().forEachRemaining(property -> {
                    Set<String> types = types(document, property.getValue());
                    // order lines' quantities and prices: their own schema, checked below
                    boolean decimal = property.getValue().path("$ref").asText().endsWith("/" + DECIMAL);
                    if (!decimal && types.contains("string") && types.contains("number")) {
                        both.add(schema.getKey() + "." + property.getKey());
                    }
                }));
        assertEquals(new TreeSet<>(NUMBER_OR_TEXT), both, schemas.toString());
        // the notes stay a text only, like any other text field of the same body
        assertEquals(Set.of("string"), types(document, schemas.path("InternalInput").path("properties").path("notes")));
        assertEquals(Set.of("string"),
                types(document, schemas.path("DropshipInput").path("properties").path("supplierSku")));
    }

    /**
     * A purchase or sales order line's quantity and unit price (purchasing.DecimalInput) take a JSON number or a
     * string, and the document says that rather than an object of the reader's own components.
     */
    @Test
    void anOrderLinesQuantityIsStringOrNumber() throws Exception {
        JsonNode document = document();
        JsonNode salesOrder = document.path("components").path("schemas").path("SalesOrderInput");
        JsonNode line = salesOrder.path("properties").path("lines").path("items");
        String ref = line.path("$ref").asText();
        JsonNode lineSchema = document.path("components").path("schemas").path(ref.substring(ref.lastIndexOf('/') + 1));
        for (String field : new String[] { "quantity", "unitPrice" }) {
            JsonNode property = lineSchema.path("properties").path(field);
            assertEquals(Set.of("number", "string"), types(document, property), lineSchema.toString());
        }
        JsonNode decimal = document.path("components").path("schemas").path(DECIMAL);
        assertEquals(false, decimal.has("properties"), decimal.toString());
    }

    /** The OpenAPI document as served. */
    static JsonNode document() throws Exception {
        return new ObjectMapper()
                .readTree(given().get("/q/openapi?format=json").then().statusCode(200).extract().asString());
    }

    /**
     * The JSON types a property's schema accepts: its type or type list, its $ref and its oneOf/anyOf each constrain
     * the value, so a value must match all that the schema has ({@code "type": "string"} beside a oneOf of string and
     * number is a string only).
     */
    static Set<String> types(JsonNode document, JsonNode schema) {
        Set<String> types = null;
        if (schema.has("type")) {
            Set<String> own = new TreeSet<>();
            JsonNode type = schema.get("type");
            if (type.isTextual()) {
                own.add(type.asText());
            }
            type.forEach(t -> own.add(t.asText()));
            types = own;
        }
        if (schema.has("$ref")) {
            JsonNode target = document;
            for (String part : schema.get("$ref").asText().substring(2).split("/")) {
                target = target.path(part);
            }
            types = both(types, types(document, target));
        }
        for (String either : new String[] { "oneOf", "anyOf" }) {
            if (schema.has(either)) {
                Set<String> options = new TreeSet<>();
                schema.get(either).forEach(option -> options.addAll(types(document, option)));
                types = both(types, options);
            }
        }
        return types == null ? Set.of() : both(null, types);
    }

    /** What both constraints allow ({@code a} null: no constraint yet); "integer" is a number. */
    private static Set<String> both(Set<String> a, Set<String> b) {
        Set<String> numbers = new TreeSet<>(b);
        if (numbers.remove("integer")) {
            numbers.add("number");
        }
        if (a == null) {
            return numbers;
        }
        Set<String> result = new TreeSet<>(a);
        if (result.remove("integer")) {
            result.add("number");
        }
        result.retainAll(numbers);
        return result;
    }
}
