package dev.millions.app.user;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.millions.app.session.SessionUsers;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;

@RestController
class UserController {

    private final UserRepository users;
    private final PasswordHasher hasher;
    private final SessionUsers sessions;

    UserController(UserRepository users, PasswordHasher hasher, SessionUsers sessions) {
        this.users = users;
        this.hasher = hasher;
        this.sessions = sessions;
    }

    @PostMapping("/api/users")
    @ResponseStatus(HttpStatus.CREATED)
    User signUp(@Valid @RequestBody SignUpRequest request) {
        return users.create(request.username(), request.displayName(), hasher.hash(request.password()));
    }

    @GetMapping("/api/users/{username}")
    Profile profile(@PathVariable String username, HttpServletRequest request) {
        return users.profile(users.require(username), sessions.find(request));
    }
}
