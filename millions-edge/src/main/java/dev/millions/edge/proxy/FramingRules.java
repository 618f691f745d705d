package dev.millions.edge.proxy;

import java.util.Locale;

/** RFC 9112's rules for how a request's body is framed, once its head has been read. */
final class FramingRules {

    private FramingRules() {}

    /**
     * @param transferEncoding every Transfer-Encoding value joined with commas, or {@code null}
     * @param contentLengths how many Content-Length headers there were
     * @return why the framing is refused, or {@code null} when it is unambiguous and within the limit
     */
    static Violation check(String transferEncoding, int contentLengths, long contentLength, long maxBodyBytes) {
        if (transferEncoding != null && contentLengths > 0) {
            return new Violation(400, "both Content-Length and Transfer-Encoding (a request smuggling pattern)");
        }
        if (transferEncoding != null) {
            String[] codings = transferEncoding.toLowerCase(Locale.ROOT).split(",");
            for (int i = 0; i < codings.length; i++) {
                String coding = codings[i].strip();
                if (!coding.equals("chunked")) {
                    return new Violation(coding.matches("gzip|deflate|compress|x-gzip|x-compress|identity") ? 400 : 501,
                                         "unsupported transfer coding '" + coding
                                         + "' (only a single 'chunked' is accepted)");
                }
                if (i != codings.length - 1 || codings.length > 1) {
                    return new Violation(400, "'chunked' given more than once in Transfer-Encoding");
                }
            }
        }
        if (contentLengths == 1 && contentLength > maxBodyBytes) {
            return new Violation(413, "body of " + contentLength + " bytes is over the limit of " + maxBodyBytes);
        }
        return null;
    }

    /** A Content-Length value: plain decimal digits, no sign, no list, at most 18 of them. */
    static boolean isDecimal(String value) {
        if (value.isEmpty() || value.length() > 18) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
