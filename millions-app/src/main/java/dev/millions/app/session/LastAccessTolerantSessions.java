package dev.millions.app.session;

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
 * Wraps the session store so that a save which changes nothing but the last-access time may fail: while
 * a Redis master fails over, its sessions are still read from its replica, and a request that only
 * used its session then succeeds instead of failing on the bookkeeping write. A save that changes what
 * the session holds (a login, a new attribute) must succeed, and its failure is passed on.
 * The skipped saves are counted ({@code millions.session.saves.skipped}); the cost of one is a session
 * that expires a little earlier.
 */
final class LastAccessTolerantSessions<S extends Session> implements SessionRepository<S> {

    private static final Logger log = LoggerFactory.getLogger(LastAccessTolerantSessions.class);
    /** What the session loaded on this thread held: its id and attributes. */
    private static final ThreadLocal<String> LOADED = new ThreadLocal<>();

    private final SessionRepository<S> delegate;
    private final Counter skipped;

    private LastAccessTolerantSessions(SessionRepository<S> delegate, MeterRegistry registry) {
        this.delegate = delegate;
        this.skipped = registry.counter("millions.session.saves.skipped");
    }

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
        LOADED.set(session == null ? null : fingerprint(session));
        return session;
    }

    @Override
    public void save(S session) {
        try {
            delegate.save(session);
        } catch (DataAccessException e) {
            if (!fingerprint(session).equals(LOADED.get())) {
                throw e;
            }
            skipped.increment();
            log.debug("session save skipped, only its last-access time changed: {}", e.toString());
        } finally {
            LOADED.remove();
        }
    }

    @Override
    public void deleteById(String id) {
        delegate.deleteById(id);
    }

    private static String fingerprint(Session session) {
        Map<String, Integer> attributes = new TreeMap<>();
        session.getAttributeNames().forEach(name -> attributes.put(name, Objects.hashCode(session.getAttribute(name))));
        return session.getId() + attributes;
    }
}
