package io.portlink.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

/**
 * The test application's management interface (health, metrics, jobs): port 9001, or {@code -Dtestmgmtport=} as the
 * test profile's {@code quarkus.management.test-port}. Reads Prometheus text by metric name and tags.
 */
public final class Management {

    public static final int PORT = Integer.getInteger("testmgmtport", 9001);

    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private Management() {
    }

    /** A request to the management interface. */
    public static RequestSpecification given() {
        return RestAssured.given().port(PORT);
    }

    /** The whole scrape, as Prometheus reads it. */
    public static String metrics() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** One series of the scrape: its labels and value. */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    /** Every series of {@code name} in a scrape. */
    public static List<Sample> samples(String scrape, String name) {
        List<Sample> found = new ArrayList<>();
        for (String line : scrape.split("\n")) {
            if (line.startsWith("#") || !(line.startsWith(name + "{") || line.startsWith(name + " "))) {
                continue;
            }
            int close = line.lastIndexOf('}');
            Map<String, String> labels = new java.util.HashMap<>();
            if (close > 0) {
                Matcher m = LABEL.matcher(line.substring(name.length() + 1, close));
                while (m.find()) {
                    labels.put(m.group(1), m.group(2));
                }
            }
            String value = line.substring(close > 0 ? close + 1 : name.length()).trim().split(" ")[0];
            found.add(new Sample(name, labels, Double.parseDouble(value)));
        }
        return found;
    }

    /** The value of the series of {@code name} carrying all of {@code tags} (the first such), if any. */
    public static OptionalDouble value(String scrape, String name, Map<String, String> tags) {
        return samples(scrape, name).stream().filter(s -> s.labels().entrySet().containsAll(tags.entrySet()))
                .mapToDouble(Sample::value).findFirst();
    }
}
