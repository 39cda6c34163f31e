package io.portlink.timeline;

/**
 * Who did something, as a timeline records it: a type, the id of the staff user, API key or link (none for the system),
 * and how it reads to staff, e.g. "link #3 (J. Smith, j@vendor.example)".
 */
public record Actor(Type type, Long id, String label) {

    /** The kinds of actor every feature shares. */
    public enum Type {
        /** A signed-in staff user; the id is the staff user's. */
        STAFF,
        /** A call with an API key; the id is the key's when known. */
        API_KEY,
        /** Someone holding a secret link (vendor, customer, driver); the id is the link's. */
        LINK,
        /** Portlink itself: jobs, mail delivery, migrations. */
        SYSTEM
    }

    public static Actor staff(long userId, String email) {
        return new Actor(Type.STAFF, userId, email);
    }

    public static Actor api() {
        return new Actor(Type.API_KEY, null, "API");
    }

    public static Actor link(long linkId, String label) {
        return new Actor(Type.LINK, linkId, label);
    }

    public static Actor system() {
        return new Actor(Type.SYSTEM, null, "Portlink");
    }
}
