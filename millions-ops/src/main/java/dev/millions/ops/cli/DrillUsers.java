package dev.millions.ops.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Users that drills sign up for themselves, each with a name of its own. */
final class DrillUsers {

    private DrillUsers() {}

    /**
     * Signs a new user up through {@code base} (ending with {@code /}) and returns its name.
     *
     * @throws IllegalStateException when the sign-up is refused
     */
    static String signUp(HttpClient http, String base, String prefix) throws IOException, InterruptedException {
        String name = prefix + Long.toString(System.currentTimeMillis(), 36);
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(base + "api/users"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + name + "\",\"password\":\"drill-password-1\","
                                                          + "\"displayName\":\"drill\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (created.statusCode() != 201) {
            throw new IllegalStateException("sign-up of " + name + " answered " + created.statusCode() + ' ' + created.body());
        }
        return name;
    }
}
