package dev.millions.app.ui;

import java.time.Duration;

import org.springframework.context.annotation.Configuration;
import org.springframework.http.CacheControl;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.resource.VersionResourceResolver;

/**
 * The web UI's scripts and styles under content-hashed names ({@code /app-3f2a….js}): a new deploy
 * changes the name of what it changes, so a CDN and browsers may keep each name for a year without
 * asking ({@code immutable}), and never serve an old script to a new page. The page that names them is
 * {@link UiController}'s, revalidated on every use.
 */
@Configuration
class UiAssetsConfig implements WebMvcConfigurer {

    static final String[] ASSETS = { "/*.js", "/*.css" };

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler(ASSETS)
                .addResourceLocations("classpath:/static/")
                .setCacheControl(CacheControl.maxAge(Duration.ofDays(365)).cachePublic().immutable())
                .resourceChain(true)
                .addResolver(new VersionResourceResolver().addContentVersionStrategy("/**"));
    }
}
