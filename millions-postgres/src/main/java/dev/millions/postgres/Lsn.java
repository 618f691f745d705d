package dev.millions.postgres;

/** PostgreSQL's WAL positions, written {@code 16/B374D848}: two hex halves of a 64-bit number. */
final class Lsn {

    private Lsn() {}

    /** The position as a number, or -1 for {@code null} (a standby that has received nothing). */
    static long parse(String text) {
        if (text == null) {
            return -1;
        }
        int slash = text.indexOf('/');
        if (slash < 1) {
            throw new IllegalArgumentException("lsn: " + text + " (expected: XXX/XXX)");
        }
        return Long.parseUnsignedLong(text, 0, slash, 16) << 32 | Long.parseUnsignedLong(text, slash + 1,
                                                                                          text.length(), 16);
    }

    static String format(long lsn) {
        return Long.toHexString(lsn >>> 32).toUpperCase() + '/' + Long.toHexString(lsn & 0xFFFFFFFFL).toUpperCase();
    }
}
