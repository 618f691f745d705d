package dev.millions.app.session;

import java.util.List;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import io.micrometer.core.instrument.MeterRegistry;

@Configuration
class SessionWebConfig implements WebMvcConfigurer {

    @Bean
    static BeanPostProcessor lastAccessTolerantSessions(ObjectProvider<MeterRegistry> registry) {
        return LastAccessTolerantSessions.wrapper(registry);
    }

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(new LoggedInUserResolver());
    }
}
