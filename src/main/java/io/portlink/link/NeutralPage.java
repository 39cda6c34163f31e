package io.portlink.link;

import jakarta.ws.rs.core.Response;

import io.portlink.platform.HtmlPages;
import io.portlink.platform.Locales;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The one page every link path shows for a link that does not open (revoked, expired, used up, locked organisation,
 * unknown, or a token of another scope): it names nothing of the subject, so it is in the browser's language. A gone
 * link of a scope that allows it offers "ask for a new link"; otherwise it says to ask the sender. The link pages'
 * security headers come from the path ({@code platform.HttpFilters}), the same for every scope.
 */
public final class NeutralPage {

    private NeutralPage() {
    }

    /**
     * {@code askUrl} and {@code nonce}: the "ask for a new link" form's target and nonce, or null for no form;
     * {@code asked}: the request was just recorded.
     */
    public record Model(AccessLink.Scope scope, String askUrl, String nonce, boolean asked) {

        /** Invitations add a way back to signing in (an invitation already used means a password exists). */
        public boolean invitation() {
            return scope == AccessLink.Scope.STAFF_INVITE;
        }
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance unavailable(Model page);
    }

    /**
     * The answer of {@code status} (404 or 410) with the page, in the language the browser asks for
     * ({@code Accept-Language}, may be null), rendered before it leaves ({@link HtmlPages}: scanners ask for unknown
     * links at any rate).
     */
    public static Response answer(int status, Model page, String acceptLanguage) {
        return HtmlPages.page(status, Templates.unavailable(page).setLocale(Locales.fromAcceptLanguage(acceptLanguage)))
                .build();
    }
}
