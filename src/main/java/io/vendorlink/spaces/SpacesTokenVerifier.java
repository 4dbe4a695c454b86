package io.vendorlink.spaces;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.vendorlink.spaces.SpacesTokenRejectedException.Reason;

import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Verifies a Cisco Spaces activation token (protocol note §A2, §A3, §A5) with Nimbus JOSE+JWT, in an order that never
 * lets an untrusted token make us call anyone:
 * <ol>
 *   <li>decode with the library (never hand-rolled base64url); {@code alg} must be exactly RS256 ({@code none},
 *       HS256 "signed" with the public key as secret, anything else: rejected);</li>
 *   <li>{@code exp} and {@code iat} checked with leeway ({@code jwt.leeway}) - an expired token is refused before any
 *       network call;</li>
 *   <li>{@code baseUrl} must be {@code https://} on a pinned host ({@code allowedHosts}) - only then is it contacted;</li>
 *   <li>keys from partnerPublicKey: the one whose version equals the {@code version} claim first, then the others
 *       newest first; if none verifies, the key list is fetched again once (rotation) and tried again.</li>
 * </ol>
 */
public final class SpacesTokenVerifier {
    private final Set<String> allowedHosts;
    private final Duration leeway;
    private final SpacesPartnerKeys keys;
    private final Clock clock;

    public SpacesTokenVerifier(Set<String> allowedHosts, Duration leeway, SpacesPartnerKeys keys, Clock clock) {
        this.allowedHosts = allowedHosts.stream().map(h -> h.trim().toLowerCase(Locale.ROOT)).filter(h -> !h.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
        this.leeway = leeway;
        this.keys = keys;
        this.clock = clock;
    }

    public Set<String> allowedHosts() {
        return allowedHosts;
    }

    /** Decodes without verifying, for display only; null when the text is not a JWT. */
    public static SpacesActivationToken decodeUnverified(String token) {
        try {
            return SpacesActivationToken.of(JWTParser.parse(token.trim()).getJWTClaimsSet());
        } catch (ParseException | RuntimeException e) {
            return null;
        }
    }

    /** The verified claims, or {@link SpacesTokenRejectedException} saying why in plain words. */
    public SpacesActivationToken verify(String token) {
        if (token == null || token.isBlank()) {
            throw new SpacesTokenRejectedException(Reason.INVALID, "no activation token was given", null);
        }
        JWT jwt;
        SpacesActivationToken claims;
        try {
            jwt = JWTParser.parse(token.trim());
            claims = SpacesActivationToken.of(jwt.getJWTClaimsSet());
        } catch (ParseException | RuntimeException e) {
            throw new SpacesTokenRejectedException(Reason.INVALID, "the text is not an activation token (not a JWT)", null);
        }
        // 1. RS256 only (§A2): alg none and HMAC with the public key as secret are the classic forgeries.
        if (jwt instanceof PlainJWT) {
            throw new SpacesTokenRejectedException(Reason.INVALID, "the token is unsigned (alg: none); only RS256 is accepted", claims);
        }
        if (!(jwt instanceof SignedJWT signed) || !JWSAlgorithm.RS256.equals(signed.getHeader().getAlgorithm())) {
            throw new SpacesTokenRejectedException(Reason.INVALID, "the token is signed with "
                    + jwt.getHeader().getAlgorithm() + "; only RS256 is accepted", claims);
        }
        // 2. Lifetime from the token itself, never assumed (§A2 "Project decision").
        Instant now = clock.instant();
        if (claims.expiresAt() == null || claims.issuedAt() == null) {
            throw new SpacesTokenRejectedException(Reason.INVALID, "the token has no exp or iat claim", claims);
        }
        if (claims.expiresAt().plus(leeway).isBefore(now)) {
            throw new SpacesTokenRejectedException(Reason.EXPIRED, "the token expired at " + claims.expiresAt()
                    + "; ask the customer for a new activation token", claims);
        }
        if (claims.issuedAt().minus(leeway).isAfter(now)) {
            throw new SpacesTokenRejectedException(Reason.INVALID, "the token is issued in the future (" + claims.issuedAt()
                    + "); check the clocks", claims);
        }
        if (claims.appId() == null || claims.activationRefId() == null) {
            throw new SpacesTokenRejectedException(Reason.INVALID, "the token has no appId or activationRefId", claims);
        }
        // 3. Pin baseUrl before any network call (§A5).
        String host = claims.baseHost();
        if (host == null || !claims.baseUrl().toLowerCase(Locale.ROOT).startsWith("https://") || !allowedHosts.contains(host)) {
            throw new SpacesTokenRejectedException(Reason.HOST_NOT_ALLOWED, "the token names a Cisco Spaces host that is not "
                    + "allowed (" + host + "); allowed: " + String.join(", ", allowedHosts.stream().sorted().toList()), claims);
        }
        // 4. Key choice (§A3 "Project decision"): version claim first, then newest first; one re-fetch on failure.
        for (boolean refresh : new boolean[]{false, true}) {
            for (RSAPublicKey key : candidates(keys.keys(claims.baseUrl(), claims.version(), refresh), claims.version())) {
                try {
                    if (signed.verify(new RSASSAVerifier(key))) {
                        return claims;
                    }
                } catch (JOSEException e) {
                    // a key too short or malformed for RS256: try the next one
                }
            }
        }
        throw new SpacesTokenRejectedException(Reason.INVALID, "the token's signature does not verify with any Cisco Spaces "
                + "partner key (forged, altered or signed with another key)", claims);
    }

    private static List<RSAPublicKey> candidates(Map<String, RSAPublicKey> byVersionNewestFirst, String version) {
        List<RSAPublicKey> out = new ArrayList<>();
        if (version != null && byVersionNewestFirst.containsKey(version)) {
            out.add(byVersionNewestFirst.get(version));
        }
        byVersionNewestFirst.forEach((v, k) -> {
            if (!v.equals(version)) {
                out.add(k);
            }
        });
        return out;
    }

    /** For tests: the claims set class is the library's. */
    static JWTClaimsSet claimsOf(String token) throws ParseException {
        return JWTParser.parse(token).getJWTClaimsSet();
    }
}
