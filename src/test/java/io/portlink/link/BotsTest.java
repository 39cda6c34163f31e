package io.portlink.link;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Which fetches of a link count as a machine's: the same verdict on the first and every later request of an agent, and
 * after a flood of odd agents has filled and emptied the verdict memory.
 */
class BotsTest {

    private static final String CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
            + "Chrome/126.0.0.0 Safari/537.36";
    private static final String SLACK = "Mozilla/5.0 (compatible; Slackbot-LinkExpanding 1.0; +https://api.slack.com/robots)";

    @Test
    void browsersArePeopleAndScannersPreviewsAndScriptsAreMachines() {
        for (int i = 0; i < 3; i++) {
            assertFalse(Bots.isBot("GET", CHROME), "a desktop browser, request " + i);
            assertTrue(Bots.isBot("GET", SLACK), "a chat preview, request " + i);
            assertTrue(Bots.isBot("GET", "curl/8.5.0"), "a script, request " + i);
            assertTrue(Bots.isBot("HEAD", CHROME), "a HEAD is never a browser's page view, request " + i);
            assertTrue(Bots.isBot("GET", null), "no agent, request " + i);
            assertTrue(Bots.isBot("GET", "  "), "a blank agent, request " + i);
        }
    }

    @Test
    void theVerdictStaysRightAfterAFloodOfOddAgentsAndForVeryLongOnes() {
        for (int i = 0; i < 5000; i++) {
            assertTrue(Bots.isBot("GET", "odd-agent/" + i));
        }
        assertFalse(Bots.isBot("GET", CHROME));
        assertTrue(Bots.isBot("GET", SLACK));
        String longBrowser = CHROME + " x".repeat(400);
        assertFalse(Bots.isBot("GET", longBrowser));
        assertTrue(Bots.isBot("GET", longBrowser + " HeadlessChrome"));
    }
}
