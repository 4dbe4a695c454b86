package io.vendorlink.sentinel;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/** The signer against published vectors and against values computed independently (Python hmac) for fixed inputs. */
class SentinelSignerTest {
    private static final SentinelSigner.CanonicalRequest GET_LICENSES = new SentinelSigner.CanonicalRequest("get",
            "text/xml;charset=utf-8", 0, "1354699124799", "vendor-1", "/scc/licenses", "customer=c1", null);

    @Test
    void hmacSha256MatchesRfc4231TestCases1And2() {
        byte[] key1 = new byte[20];
        java.util.Arrays.fill(key1, (byte) 0x0b);
        assertThat(HexFormat.of().formatHex(SentinelSigner.hmacSha256(key1, "Hi There".getBytes(StandardCharsets.US_ASCII))))
                .isEqualTo("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
        assertThat(HexFormat.of().formatHex(SentinelSigner.hmacSha256("Jefe".getBytes(StandardCharsets.US_ASCII),
                "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII))))
                .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    @Test
    void theMacReusedByAThreadAndByConcurrentThreadsSignsWithEachCallsOwnKey() throws Exception {
        byte[] key1 = new byte[20];
        java.util.Arrays.fill(key1, (byte) 0x0b);
        byte[] hi = "Hi There".getBytes(StandardCharsets.US_ASCII);
        byte[] jefe = "Jefe".getBytes(StandardCharsets.US_ASCII);
        byte[] want = "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            var results = new java.util.ArrayList<java.util.concurrent.Future<Boolean>>();
            for (int t = 0; t < 4; t++) {
                results.add(pool.submit(() -> {
                    boolean ok = true;
                    for (int i = 0; i < 500; i++) { // alternating keys on one thread: no key of the last call leaks
                        ok &= HexFormat.of().formatHex(SentinelSigner.hmacSha256(key1, hi))
                                .equals("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
                        ok &= HexFormat.of().formatHex(SentinelSigner.hmacSha256(jefe, want))
                                .equals("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
                    }
                    return ok;
                }));
            }
            for (var r : results) {
                assertThat(r.get(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theDefaultStringToSignIsMethodContentTypeDateAndPathJoinedByLineFeeds() {
        assertThat(SentinelSigner.stringToSign(SentinelSigner.Rule.defaults().stringToSignTemplate(), GET_LICENSES))
                .isEqualTo("GET\ntext/xml;charset=utf-8\n1354699124799\n/scc/licenses");
    }

    @Test
    void theDefaultAuthorizationIsKeyIdColonBase64Signature() {
        assertThat(SentinelSigner.authorization(SentinelSigner.Rule.defaults(), "key-7",
                "sandbox-secret-not-for-production", GET_LICENSES))
                .isEqualTo("key-7:bKWisD092rflACEdn0PFQlwqzVjjSmMXma7Ebs+RG48=");
    }

    @Test
    void hexEncodingAndASchemeWordAreSettings() {
        var rule = new SentinelSigner.Rule("{method}\\n{contentType}\\n{date}\\n{path}", "hex", "SFNT {keyId}:{signature}",
                "utf8");
        assertThat(SentinelSigner.authorization(rule, "key-7", "sandbox-secret-not-for-production", GET_LICENSES))
                .isEqualTo("SFNT key-7:6ca5a2b03d3ddab7e500211d9f43c5425c2acd58e34a631799aec46ecf911b8f");
    }

    @Test
    void everyPlaceholderIsReplaced() {
        var r = new SentinelSigner.CanonicalRequest("post", "text/xml", 3, "1", "v", "/p%2F", "a=b", "abc".getBytes());
        assertThat(SentinelSigner.stringToSign("{method}|{contentType}|{contentLength}|{date}|{vendorId}|{path}|{query}|{bodySha256Hex}", r))
                .isEqualTo("POST|text/xml|3|1|v|/p%2F|a=b|ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void sessionIdsWithSlashPlusEqualsAndCrLfRoundTripAsOnePathSegment() {
        String id = "AbC/dE+f=\r\ngh i~._-";
        String encoded = SentinelSigner.encodePathSegment(id);
        assertThat(encoded).isEqualTo("AbC%2FdE%2Bf%3D%0D%0Agh%20i~._-").doesNotContain("/").doesNotContain("+");
        assertThat(SentinelSigner.decodePathSegment(encoded)).isEqualTo(id);
        assertThat(java.net.URI.create("https://h/scc/licenseSessions/" + encoded).getRawPath())
                .isEqualTo("/scc/licenseSessions/" + encoded);
    }
}
