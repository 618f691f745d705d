package dev.millions.app.session;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.millions.app.user.PasswordHasher;
import dev.millions.app.user.User;
import dev.millions.app.user.UserRepository;
import dev.millions.app.user.UserRepository.Credentials;
import dev.millions.app.web.Problems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

@RestController
class SessionController {

    /** One answer for a wrong password and an unknown user: the response must not reveal which. */
    private static final String BAD_CREDENTIALS = "invalid username or password";

    private final UserRepository users;
    private final PasswordHasher hasher;

    SessionController(UserRepository users, PasswordHasher hasher) {
        this.users = users;
        this.hasher = hasher;
    }

    @PostMapping("/api/session")
    User logIn(@Valid @RequestBody LoginRequest login, HttpServletRequest request) {
        Credentials credentials = users.findCredentials(login.username()).orElse(null);
        if (credentials == null) {
            hasher.burnTime(login.password());
            throw Problems.unauthorized(BAD_CREDENTIALS);
        }
        if (!hasher.matches(login.password(), credentials.passwordHash())) {
            throw Problems.unauthorized(BAD_CREDENTIALS);
        }
        HttpSession session = request.getSession(true);
        // A new id at login: a session id planted before login (fixation) is worth nothing after it.
        request.changeSessionId();
        session.setAttribute(LoggedInUserResolver.USER_ID_ATTRIBUTE, credentials.userId());
        return users.findById(credentials.userId()).orElseThrow();
    }

    @DeleteMapping("/api/session")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void logOut(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session != null) {
            session.invalidate();
        }
    }

    @GetMapping("/api/me")
    User me(LoggedInUser me) {
        // The account may be gone while its session lives on; that session then logs no one in.
        return users.findById(me.id()).orElseThrow(() -> Problems.unauthorized("not logged in"));
    }

    record LoginRequest(@NotNull(message = "is required") @Size(max = 30, message = "must be at most 30 characters")
                        String username,
                        @NotNull(message = "is required") @Size(max = 128, message = "must be at most 128 characters")
                        String password) {}
}
