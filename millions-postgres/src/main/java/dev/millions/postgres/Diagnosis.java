package dev.millions.postgres;

/** What the last lines of a server log say went wrong, in plain words. */
final class Diagnosis {

    private Diagnosis() {}

    /** A plain-words reason for the failures users meet most, or an empty string. */
    static String of(String tail, int port) {
        if (tail.contains("No space left on device")) {
            return "disk full: ";
        }
        if (tail.contains("could not bind") || tail.contains("Address already in use")) {
            return "port " + port + " is already in use: ";
        }
        if (tail.contains("lock file \"postmaster.pid\" already exists")) {
            return "another PostgreSQL already runs on this data directory: ";
        }
        if (tail.contains("Permission denied")) {
            return "permission denied: ";
        }
        return "";
    }
}
