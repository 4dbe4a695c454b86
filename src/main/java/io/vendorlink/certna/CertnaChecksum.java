package io.vendorlink.certna;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The StoreChecksum value (§5): Base64 of the binary SHA-384 computed over the PRIA_DOCUMENT's <b>Base64 text</b>, as
 * embedded, not over the decoded bytes. The text is hashed exactly as given (US-ASCII, no normalisation): whatever is
 * embedded is what is hashed.
 */
public final class CertnaChecksum {
    public static final String ALGORITHM = "SHA384";

    private CertnaChecksum() {
    }

    public static String of(String embeddedBase64Text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-384").digest(embeddedBase64Text.getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-384 is not available in this JVM", e);
        }
    }
}
