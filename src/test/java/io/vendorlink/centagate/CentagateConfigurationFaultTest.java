package io.vendorlink.centagate;

import io.vendorlink.core.failure.RejectedException;
import io.vendorlink.core.observe.VendorHealthCheck;
import io.vendorlink.sandbox.centagate.CentagateSandbox;
import io.vendorlink.testing.TestRuntime;
import org.apache.camel.CamelExecutionException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/** Configuration faults a CentaGate operator makes, each surfaced clearly and never retried. */
class CentagateConfigurationFaultTest {

    @Test
    void aWrongSecretKeyIsSurfacedAsASignatureErrorNamingTheSettingsAndIsNotRetried() {
        try (TestRuntime rt = TestRuntime.builder().enable("centagate")
                .property("vendorlink.centagate.session.authenticateAtStart", "false")
                .property("vendorlink.centagate.secretKey", "a-wrong-secret-key-for-the-test").start()) {
            CentagateSandbox sandbox = rt.context().getRegistry().lookupByNameAndType(CentagateConfiguration.SANDBOX_BEAN,
                    CentagateSandbox.class);
            Throwable t = catchThrowable(() -> rt.producer().requestBody("direct:centagate-register-active-token",
                    Map.of("username", "user1", "tokenSn", "OTP0001", "tokenType", "2")));
            assertThat(t).isInstanceOf(CamelExecutionException.class);
            RejectedException e = (RejectedException) t.getCause();
            assertThat(e.vendorCode()).isEqualTo("23022");
            assertThat(e.getMessage()).contains("signature error").contains("vendorlink.centagate.secretKey")
                    .contains("vendorlink.centagate.auth.hmacFields")
                    .doesNotContain("a-wrong-secret-key-for-the-test");
            CentagateConnectorTest.assertCount(() -> sandbox.server().requests(r -> r.rawPath().endsWith("/auth/authBasic")).size(), 1);
            assertThat(sandbox.server().requests(r -> r.rawPath().contains("registerActiveToken"))).isEmpty();
            assertThat(sandbox.server().requests().get(0).verdict()).contains("23022");
            VendorHealthCheck health = rt.context().getRegistry().lookupByNameAndType("health-vendor-centagate",
                    VendorHealthCheck.class);
            assertThat(health.isUp()).isFalse();
            assertThat(health.reason()).contains("23022");
        }
    }

    @Test
    void theSandboxOnlySecretsAreRefusedWhenSandboxModeIsOff() {
        assertThatThrownBy(() -> TestRuntime.builder().enable("centagate")
                .property("vendorlink.centagate.session.authenticateAtStart", "false")
                .property("vendorlink.sandbox.enabled", "false").start().close())
                .hasStackTraceContaining("vendorlink.centagate.secretKey")
                .hasStackTraceContaining("sandbox-only");
    }
}
