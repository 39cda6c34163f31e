package io.portlink.order;

/** Who did something, as the timeline records it. */
public record Actor(OrderEvent.ActorType type, Long id, String label) {

    public static Actor staff(long userId, String email) {
        return new Actor(OrderEvent.ActorType.STAFF, userId, email);
    }

    public static Actor api() {
        return new Actor(OrderEvent.ActorType.API, null, "API");
    }

    public static Actor system() {
        return new Actor(OrderEvent.ActorType.SYSTEM, null, "Portlink");
    }
}
