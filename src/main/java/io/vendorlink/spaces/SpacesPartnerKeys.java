package io.vendorlink.spaces;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vendorlink.core.failure.TransientException;
import io.vendorlink.core.http.VendorHttp;

import java.net.URI;
import java.net.http.HttpResponse;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The partnerPublicKey API (protocol note §A3): {@code GET <baseUrl>/client/v1/partner/partnerPublicKey} without auth,
 * answering {@code {status, message, data:[{version, publicKey}]}} where {@code publicKey} is Base64 DER
 * SubjectPublicKeyInfo without PEM armour. Keys are cached per base URL ({@code jwt.keyCacheTtl}, 1 h) and re-fetched
 * once when verification fails. Callers pass only pinned base URLs: this class never decides trust.
 */
public final class SpacesPartnerKeys {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The URL form (§A3 "Project decision" 1): no suffix, a trailing slash, or the token's version. */
    public enum UrlForm { NONE, SLASH, VERSION }

    private record Cached(Map<String, RSAPublicKey> keys, Instant fetchedAt) {
    }

    private final VendorHttp http;
    private final UrlForm form;
    private final Duration ttl;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public SpacesPartnerKeys(VendorHttp http, UrlForm form, Duration ttl, Clock clock) {
        this.http = http;
        this.form = form;
        this.ttl = ttl;
        this.clock = clock;
    }

    /** Keys by version, newest first ({@code v2} before {@code v1}). */
    public Map<String, RSAPublicKey> keys(String baseUrl, String version, boolean forceRefresh) {
        Cached c = cache.get(baseUrl);
        if (forceRefresh || c == null || c.fetchedAt.plus(ttl).isBefore(clock.instant())) {
            c = new Cached(fetch(baseUrl, version), clock.instant());
            cache.put(baseUrl, c);
        }
        return c.keys;
    }

    private Map<String, RSAPublicKey> fetch(String baseUrl, String version) {
        String path = "/client/v1/partner/partnerPublicKey" + switch (form) {
            case NONE -> "";
            case SLASH -> "/";
            case VERSION -> "/" + (version == null ? "v1" : version);
        };
        URI uri = URI.create(baseUrl.replaceAll("/+$", "") + path);
        HttpResponse<byte[]> r = http.send("partnerPublicKey",
                http.request(uri).header("Content-Type", "application/json").GET().build(), VendorHttp.Idempotency.IDEMPOTENT);
        try {
            JsonNode body = JSON.readTree(r.body());
            if (r.statusCode() != 200 || !body.path("status").asBoolean(false) || !body.path("data").isArray()) {
                throw new TransientException("spaces", "partnerPublicKey", String.valueOf(r.statusCode()),
                        body.path("message").asText(null), "the partnerPublicKey API gave no keys (HTTP " + r.statusCode() + ")", null);
            }
            Map<String, RSAPublicKey> keys = new java.util.TreeMap<>(Comparator.comparingInt(SpacesPartnerKeys::versionNumber)
                    .reversed().thenComparing(Comparator.naturalOrder()));
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            for (JsonNode k : body.get("data")) {
                byte[] der = Base64.getMimeDecoder().decode(k.path("publicKey").asText(""));
                keys.put(k.path("version").asText(""), (RSAPublicKey) rsa.generatePublic(new X509EncodedKeySpec(der)));
            }
            return new LinkedHashMap<>(keys);
        } catch (TransientException e) {
            throw e;
        } catch (Exception e) {
            throw new TransientException("spaces", "partnerPublicKey", null, null,
                    "the partnerPublicKey answer is not the documented key list: " + e.getClass().getSimpleName(), e);
        }
    }

    /** {@code v12} → 12; anything else sorts last. */
    static int versionNumber(String version) {
        try {
            return Integer.parseInt(version.replaceFirst("^[vV]", ""));
        } catch (RuntimeException e) {
            return -1;
        }
    }
}
