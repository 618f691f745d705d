package dev.millions.ops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The pure parts of {@code bench cdn}'s peers: counting fetches in the origin's log, and the configs. */
class PeerCachesTest {

    private static final Path FOLDER = Path.of("/tmp/bench-cdn");
    private static final Path SCRATCH = Path.of("/dev/shm/bench-cdn");

    @Test
    void fetches_countOnlyTheLinesForExactlyThatPath() {
        List<String> log = List.of("/slow/nginx-cold 200", "/slow/nginx-cold 200", "/slow/nginx-cold2 200",
                                   "/slow/nginx-cold?x=1 200", "/slow-done?1 204", "/slow/varnish-cold 200", "");

        assertThat(PeerCaches.fetches(log, "/slow/nginx-cold")).isEqualTo(2);
        assertThat(PeerCaches.fetches(log, "/slow-done?1")).isEqualTo(1);
        assertThat(PeerCaches.fetches(log, "/slow/millions-cold")).isZero();
    }

    @Test
    void originConfig_logsOnlyTheSlowPath_andMakesTheFilesFreshForAnHour() {
        String config = PeerCaches.originConfig(FOLDER, SCRATCH, 8080, 9090);

        assertThat(config).contains("listen 127.0.0.1:8080", "server 127.0.0.1:9090;", "map $uri $fetch { ~^/slow 1;",
                                    "access_log /tmp/bench-cdn/origin-fetches.log fetch if=$fetch;",
                                    "root /dev/shm/bench-cdn/origin;",
                                    "add_header Cache-Control \"public, max-age=3600\";", "location /slow/ {",
                                    "location = /slow-done { return 204; }", "location = /health");
    }

    @Test
    void nginxCacheConfig_locksMisses_andHoldsAsMuchAsTheOtherCaches() {
        String config = PeerCaches.nginxCacheConfig(FOLDER, SCRATCH, 8081, 8080);

        assertThat(config).startsWith("user root;\n").contains("master_process on;", "listen 127.0.0.1:8081",
                                                               "server 127.0.0.1:8080;", "proxy_cache cdn;",
                                                               "proxy_cache_lock on;", "keys_zone=cdn:64m",
                                                               "max_size=512m", "/dev/shm/bench-cdn/nginx-cache ");
    }

    @Test
    void vcl_pointsVarnishAtTheOrigin() {
        assertThat(PeerCaches.vcl(8080)).startsWith("vcl 4.1;").contains(".host = \"127.0.0.1\";", ".port = \"8080\";");
    }
}
