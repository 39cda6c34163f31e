package io.portlink.organization;

/**
 * A feature or core package that keeps personal data of people outside the organisation (customers, consignees, vendor
 * contacts, mail recipients). Each implements it as a CDI bean; {@link PersonalDataErasures} asks every one, in
 * {@link #order()}, inside one transaction, so the core knows no feature. One erasure asks each holder several times:
 * while the holders still learn something new of the person, texts are left alone ({@code Request#scrub} changes
 * nothing); then once more, when texts are cleaned with all that was learnt. So a holder clears a record the first time
 * it finds it (a cleared record is not found again) and counts a text when scrub changed it: each is counted once.
 */
public interface PersonalDataHolder {

    /**
     * When to run: records that identify the person (orders, shipments, vendors) first ({@code 0}), so that they can
     * tell the later free-text holders (links, mails, timelines: {@code 10} and up) the names and subjects they found.
     */
    int order();

    /**
     * Erases every occurrence of the person in the organisation {@link PersonalDataErasure.Request#organizationId()}:
     * identifying fields cleared or replaced by a placeholder, images deleted; business records (amounts, quantities,
     * statuses, dates, references) kept. Adds what it erased by kind ({@link PersonalDataErasures.Request#erased}); an
     * already erased person finds nothing, so a repeated request counts zero.
     */
    void erase(PersonalDataErasures.Request request);
}
