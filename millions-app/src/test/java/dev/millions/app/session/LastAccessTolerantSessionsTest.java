package dev.millions.app.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.session.MapSession;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** The session store's wrapper over Spring Session's in-memory store: which saves reach the store. */
class LastAccessTolerantSessionsTest {

    private final Map<String, Session> stored = new ConcurrentHashMap<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private SessionRepository<MapSession> sessions;
    private String id;
    private Instant loggedIn;

    @BeforeEach
    @SuppressWarnings("unchecked")
    void logIn() {
        StaticListableBeanFactory beans = new StaticListableBeanFactory(Map.of("registry", registry));
        sessions = (SessionRepository<MapSession>) LastAccessTolerantSessions
                .wrapper(beans.getBeanProvider(MeterRegistry.class))
                .postProcessAfterInitialization(new MapSessionRepository(stored), "sessions");
        MapSession session = sessions.createSession();
        session.setMaxInactiveInterval(Duration.ofDays(7));
        session.setAttribute(LoggedInUserResolver.USER_ID_ATTRIBUTE, 42L);
        loggedIn = session.getLastAccessedTime();
        sessions.save(session);
        id = session.getId();
    }

    @Test
    void requestWithinAMinute_doesNotWriteTheLastAccessTime() {
        MapSession session = sessions.findById(id);
        session.setLastAccessedTime(loggedIn.plusSeconds(30));
        sessions.save(session);

        assertThat(stored.get(id).getLastAccessedTime()).isEqualTo(loggedIn);
        assertThat(skipped("recently_touched")).isEqualTo(1);
    }

    @Test
    void requestAfterAMinute_writesTheLastAccessTime() {
        MapSession session = sessions.findById(id);
        session.setLastAccessedTime(loggedIn.plusSeconds(61));
        sessions.save(session);

        assertThat(stored.get(id).getLastAccessedTime()).isEqualTo(loggedIn.plusSeconds(61));
    }

    @Test
    void changedAttribute_isAlwaysWritten() {
        MapSession session = sessions.findById(id);
        session.setLastAccessedTime(loggedIn.plusSeconds(1));
        session.setAttribute(LoggedInUserResolver.USER_ID_ATTRIBUTE, 43L);
        sessions.save(session);

        assertThat((Long) stored.get(id).getAttribute(LoggedInUserResolver.USER_ID_ATTRIBUTE)).isEqualTo(43L);
    }

    @Test
    void shortSession_isTouchedEveryTenthOfItsLifetime() {
        MapSession session = sessions.findById(id);
        session.setMaxInactiveInterval(Duration.ofMinutes(5));
        sessions.save(session);
        session = sessions.findById(id);
        session.setLastAccessedTime(loggedIn.plusSeconds(31));
        sessions.save(session);

        assertThat(stored.get(id).getMaxInactiveInterval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(stored.get(id).getLastAccessedTime()).isEqualTo(loggedIn.plusSeconds(31));
    }

    private double skipped(String reason) {
        return registry.counter("millions.session.saves.skipped", "reason", reason).count();
    }
}
