package dev.millions.app.database;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import org.springframework.http.server.observation.ServerRequestObservationContext;

import io.micrometer.observation.ObservationPredicate;
import io.micrometer.observation.ObservationRegistry;
import net.ttddyy.observation.tracing.DataSourceBaseContext;

/**
 * Which work gets a span. A statement only inside a request's or a message's span: the outbox relay
 * polls many times a second, and a root trace for each poll would bury the traces that a user looks for.
 * Nor do health checks and scrapes (the load balancer checks each node four times a second).
 */
@Configuration(proxyBeanMethods = false)
class SpanFilters {

    @Bean
    ObservationPredicate noSpansForProbes() {
        return (name, context) -> !(context instanceof ServerRequestObservationContext request)
                                  || !(request.getCarrier().getRequestURI().startsWith("/health")
                                       || request.getCarrier().getRequestURI().startsWith("/metrics"));
    }

    @Bean
    ObservationPredicate sqlOnlyWithinASpan(ObjectProvider<ObservationRegistry> observations) {
        return (name, context) -> !(context instanceof DataSourceBaseContext)
                                  || observations.getObject().getCurrentObservation() != null;
    }
}
