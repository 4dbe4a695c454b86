package io.vendorlink.centagate;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The two CentaGate signatures against RFC 4231, a published value and an independent (BouncyCastle) HMAC. */
class CentagateSignerTest {

    private static byte[] repeat(int b, int n) {
        byte[] a = new byte[n];
        Arrays.fill(a, (byte) b);
        return a;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** A second implementation path: BouncyCastle's HMac over SHA-256, hex by hand. */
    private static String independentHmac(String key, String message) {
        HMac mac = new HMac(new SHA256Digest());
        mac.init(new KeyParameter(key.getBytes(StandardCharsets.UTF_8)));
        byte[] m = message.getBytes(StandardCharsets.UTF_8);
        mac.update(m, 0, m.length);
        byte[] out = new byte[mac.getMacSize()];
        mac.doFinal(out, 0);
        StringBuilder sb = new StringBuilder();
        for (byte b : out) {
            sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return sb.toString();
    }

    @Test
    void hmacMatchesRfc4231TestVectors() {
        assertThat(CentagateSigner.hmacSha256Hex(repeat(0x0b, 20), ascii("Hi There")))
                .isEqualTo("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
        assertThat(CentagateSigner.hmacSha256Hex("Jefe", "what do ya want for nothing?"))
                .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
        assertThat(CentagateSigner.hmacSha256Hex(repeat(0xaa, 20), repeat(0xdd, 50)))
                .isEqualTo("773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");
        assertThat(CentagateSigner.hmacSha256Hex(HexFormat.of().parseHex("0102030405060708090a0b0c0d0e0f10111213141516171819"),
                repeat(0xcd, 50)))
                .isEqualTo("82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b");
        assertThat(CentagateSigner.hmacSha256Hex(repeat(0xaa, 131), ascii("Test Using Larger Than Block-Size Key - Hash Key First")))
                .isEqualTo("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
        assertThat(CentagateSigner.hmacSha256Hex(repeat(0xaa, 131), ascii("This is a test using a larger than block-size key "
                + "and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.")))
                .isEqualTo("9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
    }

    @Test
    void hmacIsLowercaseHexOfAPublishedValue() {
        // the widely published HMAC_SHA256("key", "The quick brown fox jumps over the lazy dog")
        assertThat(CentagateSigner.hmacSha256Hex("key", "The quick brown fox jumps over the lazy dog"))
                .isEqualTo("f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
    }

    @Test
    void cenTokenIsHmacKeyedWithSecretCodeOverAdminUsernameThenAuthToken() {
        String secretCode = "5f0c1d2e-secret-code";
        String admin = "vendorlink-admin";
        String authToken = "a1b2c3d4e5f6";
        String cen = CentagateSigner.cenToken(secretCode, admin, authToken);
        assertThat(cen).isEqualTo(independentHmac(secretCode, admin + authToken)).matches("[0-9a-f]{64}");
        // the Postman pitfall (target username instead of the admin) gives a different value (§6.1)
        assertThat(cen).isNotEqualTo(independentHmac(secretCode, "alice" + authToken));
        // key and message are not interchangeable
        assertThat(cen).isNotEqualTo(independentHmac(admin + authToken, secretCode));
        // UTF-8, not Latin-1 or platform default
        String utf = CentagateSigner.cenToken("clé-secrète", "админ", "tök€n");
        assertThat(utf).isEqualTo(independentHmac("clé-secrète", "админ" + "tök€n"));
    }

    @Test
    void cenTokenIsNeverComputedWithAnEmptySecretCode() {
        assertThatThrownBy(() -> CentagateSigner.cenToken("", "admin", "token"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("empty secretCode");
        assertThatThrownBy(() -> CentagateSigner.cenToken(null, "admin", "token")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void authHmacFollowsTheConfiguredFieldOrderWithEmptyOptionalFields() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("username", "vendorlink-admin");
        fields.put("password", "p@ss");
        fields.put("integrationKey", "IK-123");
        fields.put("unixTimestamp", "1700000000");
        fields.put("supportFido", "");
        fields.put("ipAddress", "");
        fields.put("userAgent", "");
        fields.put("browserFp", "");
        List<String> pdf = List.of("username", "password", "integrationKey", "unixTimestamp", "supportFido", "ipAddress",
                "userAgent", "browserFp");
        List<String> cgdProse = List.of("username", "password", "userAgent", "integrationKey", "supportFido", "browserFp",
                "unixTimestamp", "ipAddress");
        String expected = independentHmac("app-secret-key", "vendorlink-adminp@ssIK-1231700000000");
        assertThat(CentagateSigner.authHmac("app-secret-key", pdf, fields)).isEqualTo(expected);
        // with every optional field empty, the sources' orders agree (§5.1)
        assertThat(CentagateSigner.authHmac("app-secret-key", cgdProse, fields)).isEqualTo(expected);
        // once an optional field has a value, the order matters
        fields.put("userAgent", "Vendorlink");
        assertThat(CentagateSigner.authHmac("app-secret-key", pdf, fields))
                .isNotEqualTo(CentagateSigner.authHmac("app-secret-key", cgdProse, fields))
                .isEqualTo(independentHmac("app-secret-key", "vendorlink-adminp@ssIK-1231700000000Vendorlink"));
    }

    @Test
    void unixTimestampIsEpochSecondsAsAString() {
        assertThat(CentagateSigner.unixTimestamp(Instant.ofEpochMilli(1_700_000_000_999L))).isEqualTo("1700000000");
    }
}
