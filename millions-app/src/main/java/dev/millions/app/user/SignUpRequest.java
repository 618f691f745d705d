package dev.millions.app.user;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

public record SignUpRequest(
        @NotNull(message = "is required")
        @Pattern(regexp = "[a-z0-9_]{3,30}", message = "must be 3 to 30 of a-z, 0-9 and _")
        String username,
        @NotNull(message = "is required")
        @Size(min = 8, max = 128, message = "must be 8 to 128 characters")
        String password,
        @NotBlank(message = "is required")
        @Size(max = 60, message = "must be at most 60 characters")
        String displayName) {}
