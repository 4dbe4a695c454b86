package io.vendorlink.centagate;

import io.vendorlink.core.security.Secret;

import java.time.Duration;
import java.time.Instant;

/**
 * One authenticated CentaGate session of the admin user (§5.1): the {@code authToken} and {@code secretCode} that
 * every server API call turns into a cenToken, and when to renew it: at {@code renewAt} (a configured fraction of
 * {@code sessionTimeout}, §8), before the server would find it expired.
 */
public record CentagateSession(Secret authToken, Secret secretCode, Duration sessionTimeout, Instant obtainedAt,
                               Instant renewAt, String userId, String role) {

    public boolean dueForRenewal(Instant now) {
        return !now.isBefore(renewAt);
    }

    /** The cenToken of this session for the given admin (§6.1). */
    public String cenToken(String adminUsername) {
        return CentagateSigner.cenToken(secretCode.reveal(), adminUsername, authToken.reveal());
    }

    @Override
    public String toString() {
        return "CentagateSession[user " + userId + ", obtained " + obtainedAt + ", renew at " + renewAt + "]";
    }
}
