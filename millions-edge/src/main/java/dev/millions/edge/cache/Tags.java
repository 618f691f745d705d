package dev.millions.edge.cache;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

import io.netty.handler.codec.http.HttpHeaders;

/** The tags an origin puts on an answer for purging, in Fastly's {@code Surrogate-Key}: names separated by spaces. */
final class Tags {

    static final String SURROGATE_KEY = "surrogate-key";

    private Tags() {}

    static Set<String> of(HttpHeaders headers) {
        return headers.getAll(SURROGATE_KEY).stream().flatMap(line -> Arrays.stream(line.split("[ \t]+")))
                      .filter(tag -> !tag.isEmpty()).collect(Collectors.toUnmodifiableSet());
    }
}
