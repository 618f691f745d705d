package dev.millions.app.session;

import java.util.Optional;

import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

import dev.millions.app.web.Problems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

/**
 * Resolves {@link LoggedInUser} parameters. Sessions live in the shared store, so a forged or expired
 * cookie simply finds no session: the request is anonymous, and what needs a user answers 401.
 */
final class LoggedInUserResolver implements HandlerMethodArgumentResolver {

    static final String USER_ID_ATTRIBUTE = "millions.userId";

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.nestedIfOptional().getNestedParameterType() == LoggedInUser.class;
    }

    @Override
    public Object resolveArgument(MethodParameter parameter, ModelAndViewContainer mavContainer,
                                  NativeWebRequest webRequest, WebDataBinderFactory binderFactory) {
        Optional<LoggedInUser> user = find(webRequest.getNativeRequest(HttpServletRequest.class));
        if (parameter.isOptional()) {
            return user;
        }
        return user.orElseThrow(() -> Problems.unauthorized("not logged in"));
    }

    private static Optional<LoggedInUser> find(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        Object userId = session == null ? null : session.getAttribute(USER_ID_ATTRIBUTE);
        return userId instanceof Long id ? Optional.of(new LoggedInUser(id)) : Optional.empty();
    }
}
