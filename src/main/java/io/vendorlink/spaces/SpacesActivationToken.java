package io.vendorlink.spaces;

import com.nimbusds.jwt.JWTClaimsSet;

import java.net.URI;
import java.text.ParseException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The claims of a Cisco Spaces activation token that Vendorlink uses (protocol note §A2). {@code iat}/{@code exp} are
 * epoch seconds, {@code expiresIn} epoch milliseconds; {@code baseUrl} is untrusted until its host is pinned (§A5).
 */
public record SpacesActivationToken(String appId, String version, String activationRefId, String customer,
                                    Long tenantId, String baseUrl, String partnerTenantId, Instant issuedAt,
                                    Instant expiresAt) {

    static SpacesActivationToken of(JWTClaimsSet c) throws ParseException {
        Object tenant = c.getClaim("tenantId");
        return new SpacesActivationToken(c.getStringClaim("appId"), c.getStringClaim("version"),
                c.getStringClaim("activationRefId"), c.getStringClaim("customer"),
                tenant instanceof Number n ? n.longValue() : null, c.getStringClaim("baseUrl"),
                c.getStringClaim("partnerTenantId"),
                c.getIssueTime() == null ? null : c.getIssueTime().toInstant(),
                c.getExpirationTime() == null ? null : c.getExpirationTime().toInstant());
    }

    /** The host of {@code baseUrl}, lower case, or null when it is not an absolute URL. */
    public String baseHost() {
        try {
            String h = baseUrl == null ? null : URI.create(baseUrl).getHost();
            return h == null ? null : h.toLowerCase(java.util.Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** What the activation page shows: customer, app and expiry (never the token itself). */
    public Map<String, Object> display() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("customer", customer);
        m.put("appId", appId);
        m.put("tenantId", tenantId);
        m.put("baseUrl", baseUrl);
        m.put("version", version);
        m.put("issuedAt", issuedAt == null ? null : issuedAt.toString());
        m.put("expiresAt", expiresAt == null ? null : expiresAt.toString());
        return m;
    }
}
