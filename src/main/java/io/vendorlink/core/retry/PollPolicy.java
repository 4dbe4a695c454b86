package io.vendorlink.core.retry;

import io.vendorlink.core.Settings;

import java.time.Duration;
import java.time.Instant;

/**
 * Poll-until-deadline for asynchronous vendor work ({@code in_progress} + {@code requestId}): poll every
 * {@code pollInterval}, at most {@code maxAttempts} times and never past {@code deadline} after the first call.
 * Connectors persist the pending request (so polling resumes after a restart) and ask this policy when to poll next.
 */
public record PollPolicy(Duration interval, int maxAttempts, Duration deadline) {

    public static PollPolicy from(Settings s) {
        return new PollPolicy(s.duration("pollInterval"), s.integer("maxAttempts"), s.duration("deadline"));
    }

    public boolean exhausted(int attemptsMade, Instant startedAt, Instant now) {
        return attemptsMade >= maxAttempts || !now.isBefore(startedAt.plus(deadline));
    }

    public Instant nextPollAt(Instant now) {
        return now.plus(interval);
    }
}
