package io.vendorlink.spaces;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.vendorlink.core.sandbox.RecordedRequest;
import io.vendorlink.sandbox.spaces.SpacesSandbox;
import io.vendorlink.sandbox.spaces.SpacesSandbox.TokenKind;
import io.vendorlink.spaces.SpacesTokenRejectedException.Reason;
import io.vendorlink.testing.TestRuntime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Token validation (issue 6 item 2; protocol note §A2, §A3, §A5) against the sandbox's key pairs v1 and v2. */
class SpacesTokenVerifierTest {
    private static TestRuntime rt;
    private static SpacesSandbox sandbox;
    private static SpacesTokenVerifier verifier;
    private static SpacesTestSupport.ForeignHost foreign;

    @BeforeAll
    static void boot() throws Exception {
        rt = SpacesTestSupport.runtime().property("vendorlink.spaces.firehose.enabled", "false").start();
        sandbox = SpacesTestSupport.sandbox(rt);
        verifier = SpacesTestSupport.bean(rt, "spacesTokenVerifier", SpacesTokenVerifier.class);
        foreign = new SpacesTestSupport.ForeignHost();
    }

    @AfterAll
    static void stop() {
        foreign.close();
        rt.close();
    }

    @BeforeEach
    void clean() {
        sandbox.server().clearRequests();
        foreign.requests.set(0);
    }

    private static List<RecordedRequest> keyFetches() {
        return sandbox.server().requests(r -> r.rawPath().startsWith(SpacesSandbox.KEYS_PATH));
    }

    private static SpacesTokenRejectedException rejected(String token) {
        return catchThrowableOfType(SpacesTokenRejectedException.class, () -> verifier.verify(token));
    }

    @Test
    void aGoodTokenVerifiesWithEitherKeyVersionAndExposesTheClaims() {
        SpacesActivationToken v1 = verifier.verify(sandbox.mint(TokenKind.GOOD, "v1", null));
        SpacesActivationToken v2 = verifier.verify(sandbox.mint(TokenKind.GOOD, "v2", null));
        assertThat(v1.customer()).isEqualTo("Trigue");
        assertThat(v2.version()).isEqualTo("v2");
        assertThat(v2.appId()).startsWith("app-");
        assertThat(v2.tenantId()).isEqualTo(420L);
        assertThat(keyFetches()).hasSize(1); // cached per base URL
        assertThat(keyFetches().get(0).rawPath()).isEqualTo(SpacesSandbox.KEYS_PATH); // URL form NONE
    }

    @Test
    void algNoneIsRejectedWithoutContactingAnyHost() throws Exception {
        JWTClaimsSet claims = SpacesTokenVerifier.claimsOf(sandbox.mint(TokenKind.GOOD, "v1", foreign.baseUrl()));
        SpacesTokenRejectedException e = rejected(new PlainJWT(claims).serialize());
        assertThat(e.rejection()).isEqualTo(Reason.INVALID);
        assertThat(e.getMessage()).contains("alg: none", "only RS256");
        assertThat(foreign.requests.get()).isZero();
        assertThat(keyFetches()).isEmpty();
    }

    @Test
    void hs256SignedWithThePublicKeyAsSecretIsRejectedWithoutFetchingKeys() throws Exception {
        JWTClaimsSet claims = SpacesTokenVerifier.claimsOf(sandbox.mint(TokenKind.GOOD, "v1", null));
        SignedJWT forged = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        forged.sign(new MACSigner(sandbox.publicKey("v1").getEncoded()));
        SpacesTokenRejectedException e = rejected(forged.serialize());
        assertThat(e.getMessage()).contains("HS256", "only RS256");
        assertThat(keyFetches()).isEmpty();
    }

    @Test
    void aTokenSignedWithAnotherKeyIsRejected() {
        // Pointing at the attacker's own key server: refused before any call.
        SpacesTokenRejectedException foreignKeyServer = rejected(sandbox.mint(TokenKind.WRONG_KEY, "v1", foreign.baseUrl()));
        assertThat(foreignKeyServer.rejection()).isEqualTo(Reason.HOST_NOT_ALLOWED);
        assertThat(foreign.requests.get()).isZero();
        // Pointing at the real (pinned) host: no partner key verifies it.
        SpacesTokenRejectedException e = rejected(sandbox.mint(TokenKind.WRONG_KEY, "v1", null));
        assertThat(e.rejection()).isEqualTo(Reason.INVALID);
        assertThat(e.getMessage()).contains("signature does not verify");
        assertThat(foreign.requests.get()).isZero();
    }

    @Test
    void anExpiredTokenIsRejectedAsExpiredBeforeAnyNetworkCall() {
        SpacesTokenRejectedException e = rejected(sandbox.mint(TokenKind.EXPIRED, "v1", foreign.baseUrl()));
        assertThat(e.rejection()).isEqualTo(Reason.EXPIRED);
        assertThat(e.getMessage()).contains("expired", "new activation token");
        assertThat(e.unverifiedClaims().customer()).isEqualTo("Trigue");
        assertThat(foreign.requests.get()).isZero();
        assertThat(keyFetches()).isEmpty();
    }

    @Test
    void aTamperedPayloadIsRejected() {
        SpacesTokenRejectedException e = rejected(sandbox.mint(TokenKind.TAMPERED, "v2", null));
        assertThat(e.rejection()).isEqualTo(Reason.INVALID);
        assertThat(e.getMessage()).contains("signature does not verify");
        // tampered to point at a foreign host: refused before any call
        SpacesTokenRejectedException moved = rejected(sandbox.mint(TokenKind.TAMPERED, "v1", foreign.baseUrl()));
        assertThat(moved.rejection()).isEqualTo(Reason.HOST_NOT_ALLOWED);
        assertThat(foreign.requests.get()).isZero();
    }

    @Test
    void aBaseUrlOnAHostNotAllowedIsRejectedWithoutContactingIt() {
        SpacesTokenRejectedException e = rejected(sandbox.mint(TokenKind.GOOD, "v1", foreign.baseUrl()));
        assertThat(e.rejection()).isEqualTo(Reason.HOST_NOT_ALLOWED);
        assertThat(e.getMessage()).contains("127.0.0.1", "not allowed");
        assertThat(foreign.requests.get()).isZero();
        // plain http on an allowed host is refused too
        String http = sandbox.mint(TokenKind.GOOD, "v1", sandbox.baseUrl().replace("https://", "http://"));
        assertThat(rejected(http).rejection()).isEqualTo(Reason.HOST_NOT_ALLOWED);
        assertThat(keyFetches()).isEmpty();
    }

    @Test
    void garbageIsRejectedAsNotAToken() {
        assertThat(rejected("not a jwt").getMessage()).contains("not an activation token");
        assertThat(rejected("").getMessage()).contains("no activation token");
    }
}
