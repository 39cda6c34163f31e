package io.portlink.link;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * A hint, from the request alone, that a machine is fetching a link: mail security scanners (Safe Links, Mimecast,
 * Proofpoint...), chat link previews (WhatsApp, Slack, Teams...), crawlers and scripts. A HEAD request is always a
 * machine: browsers never send one for a page. Only a hint: scanners also send plain browser agents, and people read
 * links in in-app browsers whose agents name LinkedIn or Outlook. So it only sorts fetches into the bot count; whether
 * a person opened a link is decided by what only a browser showing the page does ({@link Links#confirmOpen}).
 */
public final class Bots {

    private static final Pattern BOT_AGENTS = Pattern.compile(String.join("|", "bot\\b", "bot/", "crawler", "spider",
            "preview", "scanner", "slurp", "facebookexternalhit", "whatsapp", "telegram", "slack", "discord",
            "skypeuripreview", "teams", "linkedin", "twitter", "microsoft office", "msoffice", "outlook", "ms-office",
            "safelinks", "safe links", "mimecast", "proofpoint", "barracuda", "urldefense", "symantec", "trendmicro",
            "sophos", "fortiguard", "headless", "phantomjs", "curl/", "wget/", "python-", "go-http-client", "java/",
            "okhttp", "apache-httpclient", "libwww", "httpie", "postman", "axios/", "node-fetch"));

    /**
     * {@link #isBot}'s verdict by agent: a link page asks on every request, and a few agents make most of them, so the
     * 50-way pattern runs once per agent. At most {@link #REMEMBERED} agents of at most {@link #REMEMBERED_LENGTH}
     * characters; the memory starts again when full, so no stream of odd agents can grow it.
     */
    private static final Map<String, Boolean> BOT_VERDICTS = new ConcurrentHashMap<>();
    private static final int REMEMBERED = 1024;
    private static final int REMEMBERED_LENGTH = 512;

    private Bots() {
    }

    /**
     * Agents that fetch but never show a page to a person: crawlers, link expanders, headless browsers and mail
     * security scanners (which render a page, stylesheet and all, to judge it before the person clicks).
     */
    private static final Pattern NEVER_A_PERSON = Pattern
            .compile(String.join("|", "bot\\b", "bot/", "crawler", "spider", "slurp", "facebookexternalhit", "preview",
                    "scanner", "headless", "phantomjs", "lighthouse", "safelinks", "safe links", "mimecast",
                    "proofpoint", "barracuda", "urldefense", "trendmicro", "sophos", "fortiguard"));

    /**
     * True when the User-Agent header (may be null) names something that never shows a page to a person, so its fetch
     * of a page's own stylesheet is no person's open either. Narrower than {@link #isBot}: in-app browsers of LinkedIn
     * or Outlook are people.
     */
    public static boolean neverAPerson(String userAgent) {
        if (userAgent == null || userAgent.isBlank()) {
            return true;
        }
        String agent = userAgent.toLowerCase(Locale.ROOT);
        return !agent.startsWith("mozilla/") || NEVER_A_PERSON.matcher(agent).find();
    }

    /** True when the method or the User-Agent header (may be null) says machine. */
    public static boolean isBot(String method, String userAgent) {
        if ("HEAD".equalsIgnoreCase(method)) {
            return true;
        }
        if (userAgent == null || userAgent.isBlank()) {
            return true;
        }
        if (userAgent.length() > REMEMBERED_LENGTH) {
            return botAgent(userAgent);
        }
        Boolean known = BOT_VERDICTS.get(userAgent);
        if (known == null) {
            if (BOT_VERDICTS.size() >= REMEMBERED) {
                BOT_VERDICTS.clear();
            }
            known = botAgent(userAgent);
            BOT_VERDICTS.put(userAgent, known);
        }
        return known;
    }

    private static boolean botAgent(String userAgent) {
        String agent = userAgent.toLowerCase(Locale.ROOT);
        // A browser says Mozilla/...; almost everything else announcing itself otherwise is a machine.
        return !agent.startsWith("mozilla/") || BOT_AGENTS.matcher(agent).find();
    }
}
