package io.vendorlink.centagate;

import io.vendorlink.core.failure.RejectedException;
import io.vendorlink.core.failure.TransientException;
import io.vendorlink.core.failure.UnknownOutcomeException;
import io.vendorlink.core.failure.VendorException;
import io.vendorlink.core.sandbox.RecordedRequest;
import io.vendorlink.sandbox.centagate.CentagateSandbox;
import io.vendorlink.testing.Sandboxes;
import io.vendorlink.testing.TestRuntime;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/** The CentaGate connector against its sandbox over HTTPS: authentication, cenToken, every return code. */
class CentagateConnectorTest {
    private static final AtomicInteger SERIAL = new AtomicInteger(40);
    private static TestRuntime rt;
    private static CentagateSandbox sandbox;
    private static CentagateClient client;
    private static ProducerTemplate producer;

    @BeforeAll
    static void start() {
        rt = TestRuntime.builder().enable("centagate")
                .property("vendorlink.centagate.session.authenticateAtStart", "false")
                .property("vendorlink.centagate.retry.transient.initialDelay", "10ms")
                .property("vendorlink.centagate.retry.transient.maxDelay", "40ms")
                .property("vendorlink.centagate.http.requestTimeout", "2s")
                .start();
        sandbox = rt.context().getRegistry().lookupByNameAndType(CentagateConfiguration.SANDBOX_BEAN, CentagateSandbox.class);
        client = rt.context().getRegistry().lookupByNameAndType(CentagateConfiguration.CLIENT_BEAN, CentagateClient.class);
        producer = rt.producer();
    }

    @AfterAll
    static void stop() {
        rt.close();
    }

    @BeforeEach
    void reset() {
        sandbox.server().faults().clearAll();
        sandbox.server().clearRequests();
    }

    private static List<RecordedRequest> requests(String operation) {
        return sandbox.server().requests(r -> r.rawPath().contains("/" + operation));
    }

    private static Map<?, ?> register(String username, String tokenSn, String tokenType) {
        return producer.requestBody("direct:centagate-register-active-token",
                Map.of("username", username, "tokenSn", tokenSn, "tokenType", tokenType), Map.class);
    }

    private static VendorException registerFails(String username, String tokenSn, String tokenType) {
        Throwable t = catchThrowable(() -> register(username, tokenSn, tokenType));
        assertThat(t).isInstanceOf(CamelExecutionException.class);
        assertThat(t.getCause()).isInstanceOf(VendorException.class);
        return (VendorException) t.getCause();
    }

    private static String nextOtp() {
        return String.format("OTP%04d", SERIAL.incrementAndGet());
    }

    /** A fresh session for the next call: the current one is logged out. */
    private static void logout() {
        producer.requestBody("direct:centagate-logout", (Object) null);
        sandbox.server().clearRequests();
    }

    @Test
    void registersAnOtpTokenWithAVerifiedCenTokenOnTheServerBaseWithoutV2() {
        Map<?, ?> out = register("user1", "OTP0001", "2");
        assertThat(out.get("code")).isEqualTo("0");
        assertThat(out.get("boundUser")).isEqualTo("user1");
        assertThat(out.get("boundUserFirtName")).isEqualTo("User1");
        assertThat(out.get("boundTokenStatus")).isEqualTo("1");
        assertCount(() -> requests("registerActiveToken").size(), 1);
        RecordedRequest put = requests("registerActiveToken").get(0);
        assertThat(put.method()).isEqualTo("PUT");
        assertThat(put.rawPath()).isEqualTo("/CentagateWS/webresources/token/registerActiveToken/vendorlink-admin");
        assertThat(put.header("Content-Type")).isEqualTo("application/json");
        assertThat(put.header("Accept")).isEqualTo("application/json");
        // numeric-looking fields travel as strings (§4); the cenToken is lowercase hex
        assertThat(put.bodyText()).contains("\"tokenType\":\"2\"").containsPattern("\"cenToken\":\"[0-9a-f]{64}\"");
        assertThat(put.verdict()).startsWith("registerActiveToken: ok");
        assertThat(sandbox.boundOtp("user1")).isEqualTo("OTP0001");
        var health = rt.context().getRegistry().lookupByNameAndType("health-vendor-centagate",
                io.vendorlink.core.observe.VendorHealthCheck.class);
        assertThat(health.isUp()).isTrue();
        assertThat(health.reason()).contains("authenticated as vendorlink-admin");
    }

    @Test
    void aRegistrationThatTimesOutHasAnUnknownOutcomeAndIsNotResent() {
        client.session();
        sandbox.server().clearRequests();
        sandbox.server().faults().set("http.slowMillis", "3000");
        VendorException e = registerFails("user30", nextOtp(), "2");
        sandbox.server().faults().clear("http.slowMillis");
        assertThat(e).isInstanceOf(UnknownOutcomeException.class);
        assertThat(e.getMessage()).contains("may have reached the vendor");
        await().atMost(Duration.ofSeconds(10)).until(() -> requests("registerActiveToken").size() == 1);
        assertCount(() -> requests("registerActiveToken").size(), 1);
    }

    @Test
    void authenticationIsSignedUnderV2AndTheSessionIsSharedByLaterCalls() {
        logout();
        register("user2", "+60120000002", "1");
        register("user3", nextOtp(), "2");
        assertCount(() -> requests("authBasic").size(), 1);
        List<RecordedRequest> auth = requests("authBasic");
        assertThat(auth.get(0).rawPath()).isEqualTo("/v2/CentagateWS/webresources/auth/authBasic");
        assertThat(auth.get(0).verdict()).startsWith("authBasic: ok, hmac verified");
        // unixTimestamp in seconds, as a string
        assertThat(auth.get(0).bodyText()).containsPattern("\"unixTimestamp\":\"\\d{10}\"");
        assertCount(() -> requests("registerActiveToken").size(), 2);
    }

    @ParameterizedTest(name = "{0} {3}")
    @CsvSource({
            "22002, ghost, OTP0090, 2",
            "29001, user4, OTP-NOPE-1, 2",
            "29002, user5, OTP-SUSPENDED-1, 2",
            "29004, user6, +60111111111, 1",
            "29008, bob, OTP0091, 2",
            "29011, user7, OTP-BADCODE-1, 2",
            "29017, user8, OTP-ACTIVE-1, 2",
            "6002, user9, OTP-FAIL-1, 2",
            "6007, user10, CROTP-1, 2",
    })
    void eachBusinessCodeOfTheSeedTableIsARejectionWithCodeAndMeaningAndIsNotRetried(String code, String user,
                                                                                     String sn, String type) {
        client.session(); // a live session first, so that only the registration is counted
        sandbox.server().clearRequests();
        VendorException e = registerFails(user, sn, type);
        assertThat(e).isInstanceOf(RejectedException.class);
        assertThat(e.vendorCode()).isEqualTo(code);
        assertThat(e.getMessage()).contains(code).contains(CentagateReturnCodes.entry(code).meaning());
        assertCount(() -> requests("registerActiveToken").size(), 1);
        assertThat(requests("authBasic")).isEmpty();
    }

    @Test
    void invalidInputFromTheServerIsARejectionAndNotRetried() {
        register("user12", nextOtp(), "2");
        sandbox.server().clearRequests();
        sandbox.server().faults().set("registerActiveToken.code", "10002");
        VendorException e = registerFails("user13", nextOtp(), "2");
        assertThat(e).isInstanceOf(RejectedException.class);
        assertThat(e.vendorCode()).isEqualTo("10002");
        assertThat(e.getMessage()).contains("Invalid input");
        assertCount(() -> requests("registerActiveToken").size(), 1);
    }

    @Test
    void dbErrorsAreTransientAndRecoverWithinTheBoundedRedelivery() {
        sandbox.server().faults().set("registerActiveToken.code", "10003x2");
        Map<?, ?> out = register("user14", nextOtp(), "2");
        assertThat(out.get("code")).isEqualTo("0");
        assertCount(() -> requests("registerActiveToken").size(), 3);
        sandbox.server().clearRequests();
        sandbox.server().faults().set("registerActiveToken.code", "10004x1");
        assertThat(register("user15", nextOtp(), "2").get("code")).isEqualTo("0");
        assertCount(() -> requests("registerActiveToken").size(), 2);
    }

    @Test
    void persistentDbErrorsGiveUpAfterTheConfiguredRedeliveries() {
        sandbox.server().faults().set("registerActiveToken.code", "10004");
        VendorException e = registerFails("user16", nextOtp(), "2");
        assertThat(e).isInstanceOf(TransientException.class);
        assertThat(e.vendorCode()).isEqualTo("10004");
        assertThat(e.getMessage()).contains("DB error");
        int max = Integer.parseInt(rt.context().resolvePropertyPlaceholders("{{vendorlink.centagate.retry.transient.maxRedeliveries}}"));
        assertCount(() -> requests("registerActiveToken").size(), 1 + max);
    }

    @Test
    void permissionDeniedAfterAFreshSessionIsARejectionAfterExactlyOneReauthentication() {
        register("user17", nextOtp(), "2");
        sandbox.server().clearRequests();
        sandbox.server().faults().set("registerActiveToken.code", "10001");
        VendorException e = registerFails("user18", nextOtp(), "2");
        assertThat(e).isInstanceOf(RejectedException.class);
        assertThat(e.vendorCode()).isEqualTo("10001");
        assertThat(e.getMessage()).contains("Permission not allowed").contains("after the session was refreshed");
        assertCount(() -> requests("authBasic").size(), 1);
        assertCount(() -> requests("registerActiveToken").size(), 2);
    }

    @Test
    void anExpiredSessionIsRenewedOnceAndTheCallReplayedWithANewCenToken() {
        register("user19", nextOtp(), "2");
        sandbox.server().clearRequests();
        sandbox.server().faults().set("session.expireAll", "1");
        assertThat(register("user20", nextOtp(), "2").get("code")).isEqualTo("0");
        assertCount(() -> requests("registerActiveToken").size(), 2);
        List<RecordedRequest> puts = requests("registerActiveToken");
        assertThat(puts.get(0).verdict()).contains("10001").contains("session expired");
        assertThat(puts.get(1).verdict()).startsWith("registerActiveToken: ok");
        assertCount(() -> requests("authBasic").size(), 1);
    }

    @Test
    void theSessionIsRenewedProactivelyBeforeTheServerExpiresIt() {
        logout();
        sandbox.server().faults().set("auth.sessionTimeoutMillis", "1500");
        CentagateSession first = client.session();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> client.session() != first);
        assertCount(() -> requests("authBasic").size(), 2);
        assertThat(client.session().renewAt()).isAfter(first.renewAt());
        assertThat(rt.core().metrics().registry().find("vendorlink.reauthentications")
                .tags("vendor", "centagate", "reason", "proactive").counter().count()).isGreaterThanOrEqualTo(1.0);
        sandbox.server().faults().clear("auth.sessionTimeoutMillis");
        logout();
    }

    @Test
    void anEmptySecretCodeIsNeverUsedToSignAndTriggersOneMoreAuthentication() {
        logout();
        sandbox.server().faults().set("auth.emptySecretCode", "1");
        assertThat(register("user21", nextOtp(), "2").get("code")).isEqualTo("0");
        assertCount(() -> requests("authBasic").size(), 2);
        assertCount(() -> requests("registerActiveToken").size(), 1);
    }

    @Test
    void aSkewedClockIsSurfacedAsAClockErrorWithoutRetry() {
        logout();
        sandbox.server().faults().set("clock.skewSeconds", "900");
        VendorException e = registerFails("user22", nextOtp(), "2");
        assertThat(e).isInstanceOf(RejectedException.class);
        assertThat(e.vendorCode()).isEqualTo("23023");
        assertThat(e.getMessage()).contains("clock error").contains("NTP").contains("local clock");
        assertCount(() -> requests("authBasic").size(), 1);
        assertThat(requests("registerActiveToken")).isEmpty();
        assertThat(requests("authBasic").get(0).verdict()).contains("23023");
        sandbox.server().faults().clear("clock.skewSeconds");
        assertThat(register("user22", nextOtp(), "2").get("code")).isEqualTo("0");
    }

    @Test
    void authenticationRefusalsAreRejectionsWithTheVendorsCode() {
        for (String[] c : new String[][]{{"auth.allowedIps", "10.9.9.9", "23020"}, {"auth.mfaPending", "true", "23007"}}) {
            logout();
            sandbox.server().faults().set(c[0], c[1]);
            VendorException e = registerFails("user23", nextOtp(), "2");
            assertThat(e).as(c[2]).isInstanceOf(RejectedException.class);
            assertThat(e.vendorCode()).isEqualTo(c[2]);
            assertCount(() -> requests("authBasic").size(), 1);
            sandbox.server().faults().clear(c[0]);
        }
    }

    @Test
    void numericCodesNestedObjectsAndNon200EnvelopesAllParse() {
        sandbox.server().faults().set("envelope.numeric", "true");
        assertThat(register("user24", nextOtp(), "2").get("boundUser")).isEqualTo("user24");
        assertThat(registerFails("user25", "OTP-NOPE-2", "2").vendorCode()).isEqualTo("29001");
        sandbox.server().faults().clear("envelope.numeric");
        sandbox.server().faults().set("envelope.errorStatus", "400");
        assertThat(registerFails("user25", "OTP-NOPE-2", "2").vendorCode()).isEqualTo("29001");
    }

    @Test
    void aRegistrationAnsweredWithoutAnEnvelopeHasAnUnknownOutcomeAndIsNotResent() {
        register("user26", nextOtp(), "2");
        for (String fault : new String[]{"envelope.truncated", "http.html500"}) {
            sandbox.server().clearRequests();
            sandbox.server().faults().set(fault, "1");
            VendorException e = registerFails("user27", nextOtp(), "2");
            assertThat(e).as(fault).isInstanceOf(UnknownOutcomeException.class);
            assertThat(e.getMessage()).contains("may have taken effect");
            assertCount(() -> requests("registerActiveToken").size(), 1);
        }
    }

    @Test
    void unregisterAndUserRegistrationSpeakTheirOwnCodes() {
        String sn = nextOtp();
        register("user28", sn, "2");
        Map<?, ?> un = producer.requestBody("direct:centagate-unregister-active-token", Map.of("username", "user28", "type", "3"), Map.class);
        assertThat(un.get("code")).isEqualTo("0");
        assertThat(sandbox.boundOtp("user28")).isNull();
        Throwable again = catchThrowable(() -> producer.requestBody("direct:centagate-unregister-active-token",
                Map.of("username", "user28", "type", "3")));
        assertThat(((VendorException) again.getCause()).vendorCode()).isEqualTo("29013");
        Map<?, ?> user = producer.requestBody("direct:centagate-register-user-activate", Map.of("firstName", "Dana",
                "lastName", "Doe", "username", "dana", "userEmail", "dana@example.invalid"), Map.class);
        assertThat(user.get("code")).isEqualTo("0");
        assertThat((String) user.get("userId")).isNotBlank();
        Throwable dup = catchThrowable(() -> producer.requestBody("direct:centagate-register-user-activate", Map.of(
                "firstName", "Dana", "lastName", "Doe", "username", "dana", "userEmail", "other@example.invalid")));
        assertThat(((VendorException) dup.getCause()).vendorCode()).isEqualTo("22025");
        assertCount(() -> requests("user/registerUserActivate").size(), 2);
        assertThat(requests("user/registerUserActivate").get(0).rawPath())
                .isEqualTo("/CentagateWS/webresources/user/registerUserActivate/vendorlink-admin");
    }

    @Test
    void theSessionCheckVerifiesTheCenTokenInThePath() {
        Map<?, ?> live = producer.requestBody("direct:centagate-check-session", null, Map.class);
        assertThat(live.get("live")).isEqualTo(true);
        assertCount(() -> requests("session/check").size(), 1);
        assertThat(requests("session/check").get(0).method()).isEqualTo("PUT");
    }

    @Test
    void theSandboxAdminApiSwitchesFaultsAsAnOperatorWould() {
        Sandboxes.fault(rt, "centagate", "registerActiveToken.code", "29011x1");
        assertThat(registerFails("user29", nextOtp(), "2").vendorCode()).isEqualTo("29011");
        assertThat(register("user29", nextOtp(), "2").get("code")).isEqualTo("0");
    }

    /**
     * The sandbox records a request just after answering it, so a count is awaited (bounded) before it is asserted
     * exactly; every retry of the connector is over when the call has returned.
     */
    static void assertCount(java.util.function.IntSupplier count, int expected) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                .pollInterval(java.time.Duration.ofMillis(20)).until(() -> count.getAsInt() >= expected);
        org.assertj.core.api.Assertions.assertThat(count.getAsInt()).isEqualTo(expected);
    }
}
