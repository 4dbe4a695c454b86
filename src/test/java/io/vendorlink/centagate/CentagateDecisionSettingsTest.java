package io.vendorlink.centagate;

import io.vendorlink.core.failure.RejectedException;
import io.vendorlink.sandbox.centagate.CentagateSandbox;
import io.vendorlink.testing.TestRuntime;
import org.apache.camel.CamelExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** The protocol note's decisions, switched the other way by their settings. */
class CentagateDecisionSettingsTest {
    private static TestRuntime rt;
    private static CentagateSandbox sandbox;

    @BeforeAll
    static void start() {
        rt = TestRuntime.builder().enable("centagate")
                .property("vendorlink.centagate.session.authenticateAtStart", "false")
                .property("vendorlink.centagate.session.replayRegistrations", "false")
                .property("vendorlink.centagate.register.alreadyRegisteredCodes", "29008,29004")
                .property("vendorlink.centagate.operation.registerActiveToken.base",
                        "https://localhost:{{vendorlink.sandbox.centagate.port}}/v2/CentagateWS/webresources")
                .start();
        sandbox = rt.context().getRegistry().lookupByNameAndType(CentagateConfiguration.SANDBOX_BEAN, CentagateSandbox.class);
    }

    @AfterAll
    static void stop() {
        rt.close();
    }

    private static Map<?, ?> register(String user, String sn, String type) {
        return rt.producer().requestBody("direct:centagate-register-active-token",
                Map.of("username", user, "tokenSn", sn, "tokenType", type), Map.class);
    }

    @Test
    void withoutReplayAnExpiredSessionIsRenewedButTheRegistrationIsReportedNotResent() {
        assertThat(register("user60", "OTP0030", "2").get("code")).isEqualTo("0");
        sandbox.server().clearRequests();
        sandbox.server().faults().set("session.expireAll", "1");
        Throwable t = catchThrowable(() -> register("user61", "OTP0031", "2"));
        assertThat(t).isInstanceOf(CamelExecutionException.class).hasCauseInstanceOf(RejectedException.class);
        assertThat(t.getCause().getMessage()).contains("not replayed").contains("session.replayRegistrations");
        CentagateConnectorTest.assertCount(() -> sandbox.server().requests(r -> r.rawPath().contains("registerActiveToken")).size(), 1);
        CentagateConnectorTest.assertCount(() -> sandbox.server().requests(r -> r.rawPath().endsWith("/auth/authBasic")).size(), 1);
        // the renewed session serves the next call
        assertThat(register("user61", "OTP0031", "2").get("code")).isEqualTo("0");
        CentagateConnectorTest.assertCount(() -> sandbox.server().requests(r -> r.rawPath().endsWith("/auth/authBasic")).size(), 1);
    }

    @Test
    void configuredAlreadyRegisteredCodesAreAnIdempotentSuccess() {
        Map<?, ?> out = register("bob", "OTP0032", "2");
        assertThat(out.get("code")).isEqualTo("29008");
        assertThat(out.get("alreadyRegistered")).isEqualTo(true);
    }

    @Test
    void aPerOperationBaseOverridesTheServerBase() {
        sandbox.server().clearRequests();
        register("user62", "OTP0033", "2");
        CentagateConnectorTest.assertCount(() -> sandbox.server().requests(
                r -> r.rawPath().equals("/v2/CentagateWS/webresources/token/registerActiveToken/vendorlink-admin")).size(), 1);
    }
}
