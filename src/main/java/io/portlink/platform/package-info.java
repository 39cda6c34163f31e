/**
 * Platform: what every layer above shares and that knows nothing of Portlink's business: clock, tokens, locales and
 * conventions, validation errors and the error answers ({@link io.portlink.platform.Problems}), CSV reading, image
 * checks, paging, HTTP filters, the record of job runs (and their taking part in a stop), configuration. Depends on no
 * other Portlink package.
 */
package io.portlink.platform;
