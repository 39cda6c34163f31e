/**
 * Feature: inventory. Every organisation's catalogue: products (SKU, name), warehouses, physical on hand per product
 * and warehouse (what a merchant counts), and available on hand per product (what a supplier says it can ship now).
 * Uses the core and the platform; knows nothing of dropship, which uses it from above ({@code dropship}).
 */
package io.portlink.inventory;
