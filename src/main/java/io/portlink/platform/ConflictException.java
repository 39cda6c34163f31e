package io.portlink.platform;

/** The request contradicts what is stored (same reference with other content, changed meanwhile...). */
public class ConflictException extends RuntimeException {

    public ConflictException(String message) {
        super(message);
    }
}
