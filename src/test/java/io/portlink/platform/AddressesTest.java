package io.portlink.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** What a log line shows of an e-mail address: its first character and its domain, in a field or inside free text. */
class AddressesTest {

    @Test
    void anAddressKeepsItsFirstCharacterAndDomain() {
        assertEquals("s…@fabrikam.example", Addresses.mask("sales@fabrikam.example"));
        assertEquals("(none)", Addresses.mask(""));
        assertEquals("(none)", Addresses.mask(null));
        assertEquals("n…", Addresses.mask("no-at-sign"));
    }

    @Test
    void everyAddressInAServersAnswerIsMasked() {
        assertEquals("550 5.1.1 <s…@fabrikam.example>: user unknown; cc j…@contoso.example",
                Addresses.maskAll("550 5.1.1 <sales@fabrikam.example>: user unknown; cc jo.smith+po@contoso.example"));
        assertEquals("connection refused", Addresses.maskAll("connection refused"));
        assertNull(Addresses.maskAll(null));
    }
}
