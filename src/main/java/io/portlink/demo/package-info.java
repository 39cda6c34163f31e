/**
 * Top layer beside the pages: dev-mode demo data (an organisation, vendors, orders, shipments) on an empty database.
 * May use every feature, the core and the platform; nothing uses it, and it uses no page package.
 */
package io.portlink.demo;
