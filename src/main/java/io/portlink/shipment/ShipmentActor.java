package io.portlink.shipment;

/**
 * Who changed a shipment, as its history and notes record it: a staff user, an API key, a link holder or Portlink
 * itself. {@code id} is the staff user's, API key's or link's id (null for the system); {@code label} is how the actor
 * reads in the history ("anna@example.com", "API key ERP").
 */
public record ShipmentActor(Type type, Long id, String label) {

    public enum Type {
        STAFF, API_KEY, LINK, SYSTEM
    }

    public static ShipmentActor staff(long userId, String email) {
        return new ShipmentActor(Type.STAFF, userId, email);
    }

    public static ShipmentActor apiKey(long keyId, String name) {
        return new ShipmentActor(Type.API_KEY, keyId, "API key " + name);
    }

    public static ShipmentActor system() {
        return new ShipmentActor(Type.SYSTEM, null, "Portlink");
    }

    /** The same actor as the shared timeline names it (the types match one to one). */
    public static ShipmentActor of(io.portlink.timeline.Actor actor) {
        return new ShipmentActor(Type.valueOf(actor.type().name()), actor.id(), actor.label());
    }

    /** This actor for the shared timeline. */
    public io.portlink.timeline.Actor timeline() {
        return new io.portlink.timeline.Actor(io.portlink.timeline.Actor.Type.valueOf(type.name()), id, label);
    }
}
