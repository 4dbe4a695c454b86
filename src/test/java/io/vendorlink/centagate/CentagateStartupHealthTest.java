package io.vendorlink.centagate;

import io.vendorlink.core.observe.VendorHealthCheck;
import io.vendorlink.sandbox.centagate.CentagateSandbox;
import io.vendorlink.testing.TestRuntime;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The runtime authenticates once at start (vendorlink.centagate.session.authenticateAtStart), so that its health
 * says whether the CentaGate credentials work before any request arrives: a runtime without traffic is ready.
 */
class CentagateStartupHealthTest {

    private static VendorHealthCheck health(TestRuntime rt) {
        return rt.context().getRegistry().lookupByNameAndType("health-vendor-centagate", VendorHealthCheck.class);
    }

    @Test
    void withoutAnyRequestTheHealthIsUpAfterOneAuthentication() {
        try (TestRuntime rt = TestRuntime.builder().enable("centagate").start()) {
            await().atMost(Duration.ofSeconds(20)).until(() -> health(rt).isUp());
            assertThat(health(rt).reason()).contains("authenticated as");
            CentagateSandbox sandbox = rt.context().getRegistry().lookupByNameAndType(CentagateConfiguration.SANDBOX_BEAN,
                    CentagateSandbox.class);
            assertThat(sandbox.server().requests(r -> r.rawPath().endsWith("/auth/authBasic"))).hasSize(1);
        }
    }

    @Test
    void aWrongSecretKeyTurnsTheHealthDownAtStartWithTheVendorsCode() {
        try (TestRuntime rt = TestRuntime.builder().enable("centagate")
                .property("vendorlink.centagate.secretKey", "a-wrong-secret-key-for-the-test").start()) {
            await().atMost(Duration.ofSeconds(20)).until(() -> health(rt).reason().contains("23022"));
            assertThat(health(rt).isUp()).isFalse();
        }
    }

    @Test
    void theAuthenticationAtStartCanBeSwitchedOff() {
        try (TestRuntime rt = TestRuntime.builder().enable("centagate")
                .property("vendorlink.centagate.session.authenticateAtStart", "false").start()) {
            assertThat(rt.context().getRouteController().getRouteStatus("centagate-session-start").isStarted()).isFalse();
            assertThat(health(rt).reason()).isEqualTo("not authenticated yet");
        }
    }
}
