package dev.millions.bench.history;

import java.util.List;

/**
 * What the checker found.
 *
 * @param unknownPresent writes whose outcome was unknown and that turned out to be there
 * @param failedPresent writes the server refused (5xx) that are there anyway: not an error, but worth
 *                      seeing (a commit that happened before an error)
 * @param lost acknowledged writes that are not there
 * @param unverified acknowledged writes the checker could not look up
 * @param staleReads reads that missed the reader's own acknowledged write
 */
public record CheckReport(long acked, long present, long failed, long failedPresent, long unknown,
                          long unknownPresent, long readsChecked, List<WriteKey> lost, List<WriteKey> unverified,
                          List<StaleRead> staleReads) {

    public boolean passed() {
        return lost.isEmpty() && unverified.isEmpty() && staleReads.isEmpty();
    }

    /** A one-line verdict, e.g. {@code all 812 acknowledged writes present; 0 stale reads of 640}. */
    public String verdict() {
        String writes;
        if (lost.isEmpty() && unverified.isEmpty()) {
            writes = "all " + acked + " acknowledged writes present";
        } else if (lost.isEmpty()) {
            writes = "0 lost, but " + unverified.size() + " of " + acked + " acknowledged writes could not be checked";
        } else {
            writes = "LOST " + lost.size() + " of " + acked + " acknowledged writes"
                     + (unverified.isEmpty() ? "" : ", " + unverified.size() + " could not be checked");
        }
        return writes + "; " + failed + " failed, " + unknown + " with unknown outcome (" + unknownPresent
               + " present); " + (staleReads.isEmpty() ? "0" : "STALE " + staleReads.size()) + " stale reads of "
               + readsChecked + " read-your-writes checks";
    }

    /** A client did not find what it had itself written and seen acknowledged. */
    public record StaleRead(String client, WriteKey key, long ackedAtNanos, long readAtNanos) {}
}
