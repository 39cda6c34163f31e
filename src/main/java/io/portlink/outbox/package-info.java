/**
 * Core: the outbox, mail and signed webhooks ({@link io.portlink.outbox.Webhooks}) written in the caller's transaction
 * and delivered by a job, with retries and a dead state. Features tell it what to send and listen to its
 * delivered/gave-up events. Uses {@code organization} and the platform; knows no feature and no page.
 */
package io.portlink.outbox;
