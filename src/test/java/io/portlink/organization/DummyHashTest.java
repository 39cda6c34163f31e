package io.portlink.organization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The hash an unknown e-mail's sign-in is checked against is written out (not computed at start): it must cost what a
 * real account's check costs, or the answer's timing would tell which addresses have accounts.
 */
class DummyHashTest {

    @Test
    void theDummyHashCostsWhatARealHashCosts() {
        String real = StaffAccounts.hash("correct horse battery staple");
        String prefix = "$2a$" + StaffAccounts.BCRYPT_COST + "$";
        assertTrue(real.startsWith(prefix), real);
        assertTrue(StaffAccounts.DUMMY_HASH.startsWith(prefix), StaffAccounts.DUMMY_HASH);
        assertEquals(real.length(), StaffAccounts.DUMMY_HASH.length());
    }

    @Test
    void theDummyHashIsAWellFormedBcryptHashThatMatchesNoTypedPassword() {
        assertTrue(StaffAccounts.matches("not-a-password", StaffAccounts.DUMMY_HASH), "a valid bcrypt hash");
        assertFalse(StaffAccounts.matches("plum-orbit-lantern-42", StaffAccounts.DUMMY_HASH));
    }
}
