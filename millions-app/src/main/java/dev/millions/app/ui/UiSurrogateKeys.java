package dev.millions.app.ui;

import java.io.IOException;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.filter.OncePerRequestFilter;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Tags the web UI's page, scripts and styles with the {@code Surrogate-Key} {@code ui}, so one purge by
 * tag ({@code millions cdn purge --tag ui}) takes the whole UI off every CDN edge. Edges remove the field
 * before answering; browsers never see it.
 */
@Configuration
class UiSurrogateKeys {

    static final String TAG = "ui";

    @Bean
    FilterRegistrationBean<OncePerRequestFilter> uiSurrogateKey() {
        FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                response.setHeader("Surrogate-Key", TAG);
                chain.doFilter(request, response);
            }
        });
        registration.addUrlPatterns("/", "/index.html", "*.js", "*.css");
        return registration;
    }
}
