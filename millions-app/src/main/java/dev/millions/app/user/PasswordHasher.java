package dev.millions.app.user;

import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * Argon2id with OWASP's minimum cost (19 MiB, 2 iterations, 1 lane). A login with an unknown name
 * still verifies against a fixed hash, so that the answer's timing does not tell whether the user
 * exists.
 */
@Component
public class PasswordHasher {

    private final Argon2PasswordEncoder encoder = new Argon2PasswordEncoder(16, 32, 1, 19 * 1024, 2);
    private final String decoy = encoder.encode("decoy password, never matched");

    public String hash(String password) {
        return encoder.encode(password);
    }

    public boolean matches(String password, String hash) {
        return encoder.matches(password, hash);
    }

    /** Spends the same time as {@link #matches} for a user that does not exist. */
    public void burnTime(String password) {
        encoder.matches(password, decoy);
    }
}
