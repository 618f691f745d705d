package dev.millions.app.worker;

/**
 * An event that no retry can apply (it cannot be read, or names a photo that cannot be decoded): it goes
 * straight to the dead-letter topic.
 */
final class PoisonEventException extends RuntimeException {

    PoisonEventException(String message) {
        super(message);
    }

    PoisonEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
