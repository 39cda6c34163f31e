/**
 * Core: organisations (tenants, settings, logo, billing status), staff accounts and sign-in, API keys. Uses the
 * platform only; knows no feature and no page.
 */
package io.portlink.organization;
