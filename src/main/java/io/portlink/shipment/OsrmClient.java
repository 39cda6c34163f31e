package io.portlink.shipment;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.OptionalDouble;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A client of an OSRM routing engine's HTTP API: the driving duration between two points, {@code GET
 * {base}/route/v1/driving/{lon},{lat};{lon},{lat}?overview=false} → {@code routes[0].duration} (seconds). Any failure
 * (connection, timeout, an answer other than 200 with {@code code: "Ok"}, unreadable JSON) is "no answer": the caller
 * falls back to its own estimate, so a routing engine never fails a position batch.
 */
public class OsrmClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String base;
    private final Duration timeout;
    private final HttpClient http;

    /**
     * {@code base}: the engine's URL (e.g. http://osrm.internal:5000); {@code timeout}: per request, connect included.
     */
    public OsrmClient(String base, Duration timeout) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** The route's duration in seconds from one point to the other (degrees), or empty when the engine gave none. */
    public OptionalDouble duration(BigDecimal fromLatitude, BigDecimal fromLongitude, BigDecimal toLatitude,
            BigDecimal toLongitude) {
        String path = "/route/v1/driving/" + fromLongitude.toPlainString() + "," + fromLatitude.toPlainString() + ";"
                + toLongitude.toPlainString() + "," + toLatitude.toPlainString() + "?overview=false";
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout)
                    .header("Accept", "application/json").GET().build();
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                return OptionalDouble.empty();
            }
            JsonNode body = JSON.readTree(response.body());
            JsonNode duration = body.path("routes").path(0).path("duration");
            if (!"Ok".equals(body.path("code").asText()) || !duration.isNumber() || duration.asDouble() < 0) {
                return OptionalDouble.empty();
            }
            return OptionalDouble.of(duration.asDouble());
        } catch (IOException | IllegalArgumentException e) {
            return OptionalDouble.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalDouble.empty();
        }
    }
}
