package dev.millions.app.session;

import java.util.Optional;

import org.springframework.stereotype.Component;

import dev.millions.app.web.Problems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

/**
 * Who is logged in, read from the session. Sessions live in the shared store, so a forged or expired
 * cookie simply finds no session: the request is anonymous, and what needs a user answers 401.
 */
@Component
public class SessionUsers {

    static final String USER_ID = "millions.userId";

    public Optional<Long> find(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        return session == null ? Optional.empty() : Optional.ofNullable((Long) session.getAttribute(USER_ID));
    }

    /** The logged-in user's id, or a 401 problem. */
    public long require(HttpServletRequest request) {
        return find(request).orElseThrow(() -> Problems.unauthorized("not logged in"));
    }

    void logIn(HttpServletRequest request, long userId) {
        HttpSession session = request.getSession(true);
        // A new id at login: a session id planted before login (fixation) is worth nothing after it.
        request.changeSessionId();
        session.setAttribute(USER_ID, userId);
    }

    void logOut(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session != null) {
            session.invalidate();
        }
    }
}
