/**
 * Page layer: the JSON API ({@code /api/v1/}, API keys) and the operator endpoints, with request and response records
 * (never entities). Uses features, the core and the platform; never another page package ({@code portal},
 * {@code staff}, {@code demo}). Problem answers are built with {@link io.portlink.platform.Problems}.
 */
package io.portlink.api;
