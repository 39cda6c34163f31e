/**
 * Part of the purchasing feature: the mails to vendors (link, purchase order, reminders), their outcome on the order,
 * the purchase order as PDF and the buyer contact shown on it. Same rules as {@code purchasing}: the core and the
 * platform, no other feature, no page.
 */
package io.portlink.purchasing.mail;
