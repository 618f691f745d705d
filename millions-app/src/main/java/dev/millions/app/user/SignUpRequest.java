package dev.millions.app.user;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

record SignUpRequest(
        @NotNull(message = "is required")
        @Pattern(regexp = User.USERNAME_PATTERN, message = "must be 3 to 30 of a-z, 0-9 and _")
        String username,
        @NotNull(message = "is required")
        @Size(min = 8, max = 128, message = "must be 8 to 128 characters")
        String password,
        @NotBlank(message = "is required")
        @Size(max = 60, message = "must be at most 60 characters")
        // PostgreSQL text cannot hold U+0000; every other character is stored as sent.
        @Pattern(regexp = "[^\\x00]*", message = "must not contain the NUL character (U+0000)")
        String displayName) {}
