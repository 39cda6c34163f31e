/**
 * Page layer: the login-gated staff UI ({@code /app/}), its CSRF check, and staff invitations (the invitation link and
 * its mail). Uses features, the core and the platform; never another page package ({@code portal}, {@code api},
 * {@code demo}).
 */
package io.portlink.staff;
