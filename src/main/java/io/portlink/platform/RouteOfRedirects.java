package io.portlink.platform;

import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Tags;
import io.quarkus.micrometer.runtime.HttpServerMetricsTagsContributor;

/**
 * Gives {@link MetricTags}'s filter the route template of an answer that Quarkus would tag {@code REDIRECTION} or
 * {@code NOT_FOUND} (a 3xx or 404 of a route without path parameters, such as a staff form's 303), in the tag
 * {@link MetricTags#ROUTE}, which the filter moves into {@code uri}. Other answers get no tag. The template is the
 * request context's {@code UrlPathTemplate}, as {@link HttpFilters#routeTemplate} reads it.
 */
@Singleton
public class RouteOfRedirects implements HttpServerMetricsTagsContributor {

    @Override
    public Tags contribute(Context context) {
        int status = context.response().statusCode();
        if (status / 100 != 3 && status != 404) {
            return Tags.empty();
        }
        return context.requestContextLocalData("UrlPathTemplate") instanceof String template
                ? Tags.of(MetricTags.ROUTE, template) : Tags.empty();
    }
}
