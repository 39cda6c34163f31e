/**
 * Page layer: the token-gated pages ({@code /v/} for vendors), reached by a secret link and nothing else. Uses features
 * ({@code purchasing}, {@code shipment}), the core and the platform. Never uses another page package ({@code staff},
 * {@code api}, {@code demo}): each page package is a security boundary, and what they share lives in the platform.
 */
package io.portlink.portal;
