package io.vendorlink.centagate;

import io.vendorlink.core.failure.CredentialsExpiredException;
import io.vendorlink.core.failure.RejectedException;
import io.vendorlink.core.failure.TransientException;
import io.vendorlink.core.failure.VendorException;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The one table from a CentaGate return code to the failure vocabulary (§6.2, §7.1, §7.2, §13). Every failure carries
 * the vendor's code and the vendor's own message (or the documented meaning when the message is empty).
 */
public final class CentagateReturnCodes {

    /** How a code is handled. */
    public enum Kind {
        SUCCESS,
        /** 10003/10004: the vendor's database; bounded redelivery (centagate-error-policy). */
        TRANSIENT,
        /** Business or input errors: reported with code and meaning, never retried. */
        REJECTED,
        /** 23022: the Secret Key or the hmac field order is wrong (§13.1). */
        SIGNATURE,
        /** 23023: the request timestamp is outside the server's window (§13.2). */
        CLOCK,
        /** 23007: MFA step-up required; surfaced with authMethods (§10). */
        STEP_UP
    }

    public record Entry(String meaning, Kind kind) {
    }

    private static final Map<String, Entry> TABLE = new TreeMap<>();

    private static void code(int code, String meaning, Kind kind) {
        TABLE.put(Integer.toString(code), new Entry(meaning, kind));
    }

    private static void rejected(int code, String meaning) {
        code(code, meaning, Kind.REJECTED);
    }

    static {
        code(0, "Success", Kind.SUCCESS);
        rejected(10001, "Permission not allowed");
        rejected(10002, "Invalid input");
        code(10003, "DB protection error", Kind.TRANSIENT);
        code(10004, "DB error", Kind.TRANSIENT);
        rejected(10011, "Crypto error");
        rejected(20002, "Company not found");
        rejected(20007, "Company not active");
        rejected(21001, "Group not found");
        rejected(22001, "Duplicate user email");
        rejected(22002, "User not found");
        rejected(22004, "User not active");
        rejected(22005, "User mobile not found");
        rejected(22006, "Requestor and user are the same");
        rejected(22011, "Self-register failed");
        rejected(22013, "Users limit reached");
        rejected(22016, "User not locked");
        rejected(22025, "Duplicate username");
        rejected(22027, "User already bound with a token");
        rejected(22029, "User edit pending approval");
        rejected(22031, "User edit fail");
        rejected(23001, "Invalid credentials");
        rejected(23002, "Wait before requesting another SMS OTP");
        rejected(23003, "Random string generation failed");
        rejected(23004, "SMS OTP generation failed");
        rejected(23005, "OTP challenge generation failed");
        rejected(23006, "Push soft-cert failed");
        code(23007, "Authentication is pending", Kind.STEP_UP);
        rejected(23008, "Invalid SMS OTP");
        rejected(23009, "SMS OTP expired");
        rejected(23010, "SMS OTP not generated");
        rejected(23012, "Certificate revoked");
        rejected(23013, "User has no bound device");
        rejected(23014, "Unknown device OS");
        rejected(23015, "Push audio-pass failed");
        rejected(23016, "Auth data does not exist");
        rejected(23017, "Auth method not enabled");
        rejected(23018, "Invalid auth request status");
        rejected(23019, "Auth request owner mismatch");
        rejected(23020, "Not from trusted IP list");
        rejected(23021, "User group not allowed to use this API");
        code(23022, "Invalid API signature", Kind.SIGNATURE);
        code(23023, "Request expired", Kind.CLOCK);
        rejected(23024, "API not found");
        rejected(23025, "Authentication API error");
        rejected(23026, "Authentication request rejected");
        rejected(23035, "OTP token out of sync");
        rejected(23036, "OTP token locked");
        rejected(25009, "Insufficient SMS credit");
        rejected(26001, "Certificate not found");
        rejected(26010, "Certificate not owned by user");
        rejected(26011, "Certificate revoked");
        rejected(27001, "Invalid licence file");
        rejected(28003, "Password policy: one of the last passwords");
        rejected(28004, "Password policy: minimum length");
        rejected(28005, "Password policy: complexity");
        rejected(28006, "Password policy: blacklisted");
        rejected(28007, "Password policy: same as current");
        rejected(28008, "Password policy: changed too often");
        rejected(29001, "Token not found");
        rejected(29002, "Token not active");
        rejected(29003, "Token not bound to user");
        rejected(29004, "Phone number had been used");
        rejected(29008, "An OTP token already registered to this user");
        rejected(29011, "Invalid token activation code");
        rejected(29013, "Token doesn't belong to a user");
        rejected(29017, "Invalid token status");
        rejected(36000, "Device not found");
        rejected(36004, "User device not active");
        rejected(38000, "Invalid security question");
        rejected(54002, "Sync OTP failed");
        rejected(55000, "Invalid signature");
        rejected(6002, "Token register to user failed");
        rejected(6007, "User is not allowed to bind with CR OTP token");
    }

    /** The business answers of registerActiveToken (§6.2 table, [SEED]): reported to the caller as an outcome. */
    private static final Set<String> TOKEN_REGISTRATION_ANSWERS = Set.of("10002", "22002", "29001", "29002", "29004",
            "29008", "29011", "29017", "6002", "6007");

    public static boolean isTokenRegistrationAnswer(String code) {
        return code != null && TOKEN_REGISTRATION_ANSWERS.contains(code);
    }

    private final Set<String> sessionInvalid;

    /** @param sessionInvalid codes that mean "the cenToken or session is stale" ({@code session.invalidCodes}, §10) */
    public CentagateReturnCodes(Set<String> sessionInvalid) {
        this.sessionInvalid = Set.copyOf(sessionInvalid);
    }

    /** The documented entry of a code; unknown codes are rejections named as such. */
    public static Entry entry(String code) {
        Entry e = TABLE.get(code);
        return e != null ? e : new Entry("Unknown CentaGate return code", Kind.REJECTED);
    }

    public static Map<String, Entry> table() {
        return java.util.Collections.unmodifiableMap(TABLE);
    }

    public boolean sessionInvalid(String code) {
        return sessionInvalid.contains(code);
    }

    /**
     * The exception for a non-success envelope. {@code serverApi} tells whether the session-invalid codes apply (they
     * concern the cenToken of the server APIs, not the authentication APIs).
     */
    public VendorException failure(String operation, CentagateEnvelope env, boolean serverApi, String hint) {
        String code = env.code();
        Entry e = entry(code);
        String vendorMessage = env.message().isBlank() ? e.meaning() : env.message();
        String text = "CentaGate " + operation + " answered " + code + " " + vendorMessage
                + (vendorMessage.equalsIgnoreCase(e.meaning()) ? "" : " (" + e.meaning() + ")");
        if (serverApi && sessionInvalid(code)) {
            return new CredentialsExpiredException(CentagateClient.VENDOR, operation, code, vendorMessage,
                    text + ": the session or cenToken is no longer valid", null);
        }
        return switch (e.kind()) {
            case TRANSIENT -> new TransientException(CentagateClient.VENDOR, operation, code, vendorMessage, text, null);
            case SIGNATURE -> new RejectedException(CentagateClient.VENDOR, operation, code, vendorMessage,
                    text + ": signature error - the request hmac does not verify. Check vendorlink.centagate.secretKey "
                            + "(the App Secret Key, not the secretCode) and vendorlink.centagate.auth.hmacFields "
                            + "(the field order)" + (hint == null ? "" : "; " + hint) + ". Not retried.", null);
            case CLOCK -> new RejectedException(CentagateClient.VENDOR, operation, code, vendorMessage,
                    text + ": clock error - the server finds unixTimestamp outside its window"
                            + (hint == null ? "" : " (" + hint + ")")
                            + ". Check this host's clock and NTP synchronisation. Not retried.", null);
            case STEP_UP -> new RejectedException(CentagateClient.VENDOR, operation, code, vendorMessage,
                    text + ": step-up required (authMethods=" + env.field("authMethods")
                            + "); Vendorlink does no automatic MFA step-up", null);
            default -> new RejectedException(CentagateClient.VENDOR, operation, code, vendorMessage, text, null);
        };
    }
}
