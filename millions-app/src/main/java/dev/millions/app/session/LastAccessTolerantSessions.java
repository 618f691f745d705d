package dev.millions.app.session;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.dao.DataAccessException;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Wraps the session store so that the last-access time, which moves on every request, costs no write on
 * every request and no failed request:
 *
 * <ul>
 *   <li>A save that changes nothing but the last-access time is skipped while the stored time is less
 *       than a minute old (a tenth of the session's lifetime when that is shorter), as Jetty's
 *       {@code savePeriod} does: a logged-in read then costs one Redis command, not three. A session
 *       may expire up to that long before its last request plus its lifetime.</li>
 *   <li>Such a save may also fail: while a Redis master fails over, its sessions are still read from its
 *       replica, and a request that only used its session succeeds instead of failing on the
 *       bookkeeping write.</li>
 * </ul>
 *
 * A save that changes what the session holds (a login, a new attribute, a new id) is always made, and
 * its failure is passed on. Both kinds of skipped saves are counted.
 */
final class LastAccessTolerantSessions<S extends Session> implements SessionRepository<S> {

    private static final Logger log = LoggerFactory.getLogger(LastAccessTolerantSessions.class);
    private static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);
    /** The session loaded on this thread, as it was stored. */
    private static final ThreadLocal<Loaded> LOADED = new ThreadLocal<>();

    private final SessionRepository<S> delegate;
    private final Counter skipped;
    private final Counter untouched;

    private LastAccessTolerantSessions(SessionRepository<S> delegate, MeterRegistry registry) {
        this.delegate = delegate;
        this.skipped = registry.counter("millions.session.saves.skipped", "reason", "store_failed");
        this.untouched = registry.counter("millions.session.saves.skipped", "reason", "recently_touched");
    }

    /** @param fingerprint its id and attributes; @param lastAccessed the last-access time stored */
    private record Loaded(String fingerprint, Instant lastAccessed) {}

    /** Wraps the Redis session store; an indexed one (JDBC) is left as it is. */
    static BeanPostProcessor wrapper(ObjectProvider<MeterRegistry> registry) {
        return new BeanPostProcessor() {
            @Override
            @SuppressWarnings({ "rawtypes", "unchecked" })
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                return bean instanceof SessionRepository repository
                       && !(bean instanceof FindByIndexNameSessionRepository)
                       ? new LastAccessTolerantSessions(repository, registry.getObject()) : bean;
            }
        };
    }

    @Override
    public S createSession() {
        return delegate.createSession();
    }

    @Override
    public S findById(String id) {
        S session = delegate.findById(id);
        LOADED.set(session == null ? null : new Loaded(fingerprint(session), session.getLastAccessedTime()));
        return session;
    }

    @Override
    public void save(S session) {
        Loaded loaded = LOADED.get();
        boolean onlyTouched = loaded != null && fingerprint(session).equals(loaded.fingerprint());
        try {
            if (onlyTouched && touchedRecently(session, loaded)) {
                untouched.increment();
                return;
            }
            delegate.save(session);
        } catch (DataAccessException e) {
            if (!onlyTouched) {
                throw e;
            }
            skipped.increment();
            log.debug("session save skipped, only its last-access time changed: {}", e.toString());
        } finally {
            LOADED.remove();
        }
    }

    private static boolean touchedRecently(Session session, Loaded loaded) {
        Duration tenth = session.getMaxInactiveInterval().dividedBy(10);
        Duration interval = tenth.compareTo(TOUCH_INTERVAL) < 0 ? tenth : TOUCH_INTERVAL;
        return Duration.between(loaded.lastAccessed(), session.getLastAccessedTime()).compareTo(interval) < 0;
    }

    @Override
    public void deleteById(String id) {
        delegate.deleteById(id);
    }

    private static String fingerprint(Session session) {
        Map<String, Integer> attributes = new TreeMap<>();
        session.getAttributeNames().forEach(name -> attributes.put(name, Objects.hashCode(session.getAttribute(name))));
        return session.getId() + session.getMaxInactiveInterval() + attributes;
    }
}
