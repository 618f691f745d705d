package dev.millions.app.user;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import jakarta.validation.Valid;

@RestController
class UserController {

    private final UserRepository users;
    private final PasswordHasher hasher;

    UserController(UserRepository users, PasswordHasher hasher) {
        this.users = users;
        this.hasher = hasher;
    }

    @PostMapping("/api/users")
    @ResponseStatus(HttpStatus.CREATED)
    User signUp(@Valid @RequestBody SignUpRequest request) {
        return users.create(request.username(), request.displayName(), hasher.hash(request.password()));
    }
}
