package io.portlink.organization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;

/** The password rules on their own (NIST SP 800-63B); the pages that apply them are tested in the staff package. */
class PasswordPolicyTest {

    private static final String EMAIL = "jane.doe@northwind-trading.example";
    private static final String ORG = "Acme Trading Ltd";

    private static Optional<String> problem(String password) {
        return PasswordPolicy.problem(password, EMAIL, ORG);
    }

    private static void refused(String password, String because) {
        Optional<String> problem = problem(password);
        assertTrue(problem.isPresent(), password + " is refused");
        assertTrue(problem.get().contains(because), password + ": " + problem.get());
    }

    @Test
    void theListOfCommonPasswordsTravelsWithTheApplication() {
        assertTrue(PasswordPolicy.commonPasswords() >= 10_000, "common passwords: " + PasswordPolicy.commonPasswords());
    }

    @Test
    void refusesRepetitionsSequencesAndCommonPasswords() {
        refused("aaaaaaaaaa", "repeats itself");
        refused("abababababab", "repeats itself");
        refused("passpasspass", "repeats itself");
        refused("abcdefghijk", "is a sequence");
        refused("9876543210", "is a sequence");
        refused("password12", "most commonly used");
        refused("qwertyuiop", "most commonly used");
        refused("Password12", "most commonly used");
        refused("iloveyou2024!", "with digits or symbols added");
        refused("short", "at least 10 characters");
        refused("x".repeat(100) + "y".repeat(200), "at most 256");
    }

    @Test
    void refusesPasswordsBuiltFromTheAddressOrTheOrganisation() {
        refused(EMAIL, "built from the e-mail address");
        refused("JaneDoe2024", "built from the e-mail address");
        refused("northwind-trading", "built from the e-mail address");
        refused("janepassword1", "built from the e-mail address");
        refused("Acme Trading 2026", "organisation's name");
        refused("acme12345678", "organisation's name");
        refused("portlink2026", "built from");
    }

    @Test
    void acceptsLongPassphrasesInAnyScriptWithoutCompositionRules() {
        assertEquals(Optional.empty(), problem("correct horse battery staple"));
        assertEquals(Optional.empty(), problem("ledger-tulip-harbour"));
        assertEquals(Optional.empty(), problem("trading cards are my hobby"));
        // 64 characters of Cyrillic and spaces: 120 bytes, beyond bcrypt's 72
        String cyrillic = "съешь же ещё этих мягких французских булок да выпей чаю ну и ладно";
        assertEquals(64, cyrillic.substring(0, 64).length());
        assertEquals(Optional.empty(), problem(cyrillic.substring(0, 64)));
        assertEquals(Optional.empty(), problem("密码是一句很长的话而且没有人能猜到它"));
        StringBuilder longest = new StringBuilder();
        for (int i = 0; longest.length() < PasswordPolicy.MAX_LENGTH; i++) {
            longest.append("step ").append(i).append(' ');
        }
        assertEquals(Optional.empty(), problem(longest.substring(0, PasswordPolicy.MAX_LENGTH)));
    }

    @Test
    void passwordsBeyondBcryptsLimitAreHashedWhole() {
        String base = "ü".repeat(40);
        String hash = StaffAccounts.hash(base + "one");
        assertTrue(StaffAccounts.matches(base + "one", hash));
        assertTrue(!StaffAccounts.matches(base + "two", hash), "the end of a long password counts");
        // NFKC: the compatibility form of a character is the same password
        assertTrue(StaffAccounts.matches("ﬁne-tuned-words", StaffAccounts.hash("fine-tuned-words")));
    }
}
