package dev.millions.edge.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RouteTableTest {

    private static final RequestHandler API = call -> null;
    private static final RequestHandler MEDIA = call -> null;
    private static final RequestHandler ANY = call -> null;
    private static final RequestHandler STATIC_HOST = call -> null;

    private final RouteTable table = RouteTable.builder().route(null, "/", ANY).route(null, "/api", API)
                                               .route(null, "/media/", MEDIA).route("static.example", "/", STATIC_HOST)
                                               .build();

    @Test
    void longestPrefix_wins_onPathSegments() {
        assertThat(table.route("www.example", "/api")).isSameAs(API);
        assertThat(table.route("www.example", "/api/users?page=2")).isSameAs(API);
        assertThat(table.route("www.example", "/apical")).isSameAs(ANY);
        assertThat(table.route("www.example", "/media/p/1.jpg")).isSameAs(MEDIA);
        assertThat(table.route("www.example", "/media")).isSameAs(ANY);
        assertThat(table.route(null, "/")).isSameAs(ANY);
    }

    @Test
    void hostRoutes_comeFirst_whateverTheCaseOrPort() {
        assertThat(table.route("Static.Example:8080", "/api/users")).isSameAs(STATIC_HOST);
        assertThat(table.route("[::1]:8080", "/api")).isSameAs(API);
    }

    @Test
    void garbledOrMissingHosts_fallToTheAnyHostRoutes_andAPortIsNeverPartOfTheName() {
        assertThat(table.route("[::1", "/api")).isSameAs(API);
        assertThat(table.route("", "/")).isSameAs(ANY);
        assertThat(table.route(":8080", "/media/x")).isSameAs(MEDIA);
        assertThat(table.route("static.example:notaport", "/")).isSameAs(STATIC_HOST);
    }

    @Test
    void absoluteFormAndAsterisk_areRoutedByTheirPath() {
        assertThat(table.route(null, "http://www.example/api/x")).isSameAs(API);
        assertThat(table.route(null, "*")).isSameAs(ANY);
    }

    @Test
    void noMatchingRoute_isNull_andAPrefixMustBeAPath() {
        RouteTable apiOnly = RouteTable.builder().route(null, "/api", API).build();

        assertThat(apiOnly.route("x", "/static/app.js")).isNull();
        assertThatThrownBy(() -> RouteTable.builder().route(null, "api", API))
                .hasMessage("prefix: api (expected: a path starting with /)");
    }
}
