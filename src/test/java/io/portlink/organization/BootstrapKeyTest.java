package io.portlink.organization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.portlink.platform.Tokens;

/**
 * Issue 8, kind 6: the bootstrap API key carries the pk_ prefix like every other key, or the service does not start.
 */
class BootstrapKeyTest {

    @Test
    void aBootstrapKeyWithoutThePrefixStopsTheStartWithWhatToDo() {
        for (String key : new String[] { "0123456789abcdefghijklmnopqrstuvwxyz", "pk_short", "PK_" + "a".repeat(40),
                "pk_" + "a".repeat(31), "pk_" + "a".repeat(35) + " " }) {
            String problem = Bootstrap.apiKeyProblem(key).orElseThrow();
            assertTrue(problem.contains("PORTLINK_BOOTSTRAP_API_KEY") && problem.contains("pk_"), problem);
        }
        assertEquals(java.util.Optional.empty(), Bootstrap.apiKeyProblem(Tokens.generate(Tokens.API_KEY)));
        assertEquals(java.util.Optional.empty(),
                Bootstrap.apiKeyProblem("pk_bench_0123456789abcdefghijklmnopqrstuvwxyz"));
    }

    /** A bootstrap value refused by the rules of every organisation is named by the variable that set it. */
    @Test
    void aRefusedBootstrapValueIsNamedByItsEnvironmentVariable() {
        var refused = new io.portlink.platform.ValidationException.Builder()
                .add("adminPassword", "is one of the most commonly used passwords", null)
                .add("country", "must be an ISO 3166 two-letter country code such as GB, DE or US", "XX");
        var e = assertThrows(io.portlink.platform.ValidationException.class, refused::throwIfAny);
        assertEquals("The first organisation cannot be created from these settings: PORTLINK_BOOTSTRAP_ADMIN_PASSWORD"
                + " is one of the most commonly used passwords; PORTLINK_BOOTSTRAP_COUNTRY must be an ISO 3166"
                + " two-letter country code such as GB, DE or US", Bootstrap.refusal(e));
    }
}
