package io.portlink.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The status an access-log line gives an answer, whatever order the closed connection and the answer to it are found in
 * (the live cases are {@link AccessLogFieldsTest}'s; this one is the rule, for the orders a test cannot force).
 */
class AccessLogStatusTest {

    @Test
    void theAnswerToAClientAlreadyGoneIsNothingSent() {
        // the 499 written into a connection the client had closed, its mark not seen (or not yet made)
        assertEquals("-", HttpFilters.sentStatus(null, true, HttpFilters.CLIENT_GONE_STATUS));
        // marked again after that 499 was in the head: the mark says nothing was sent
        assertEquals("-", HttpFilters.sentStatus(HttpFilters.sentStatus(null, true, 499), true, 499));
    }

    @Test
    void aStatusSentBeforeTheClientWentIsKept() {
        assertEquals("200", HttpFilters.sentStatus("200", true, HttpFilters.CLIENT_GONE_STATUS));
        assertEquals("200", HttpFilters.sentStatus(null, true, 200));
        assertEquals("404", HttpFilters.sentStatus(null, true, 404));
        assertEquals("-", HttpFilters.sentStatus(null, false, 200));
    }
}
