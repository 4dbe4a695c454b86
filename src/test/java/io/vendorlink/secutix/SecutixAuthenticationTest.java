package io.vendorlink.secutix;

import io.vendorlink.core.failure.CredentialsExpiredException;
import io.vendorlink.core.observe.VendorHealthCheck;
import io.vendorlink.sandbox.secutix.SecutixSandbox;
import io.vendorlink.testing.Sandboxes;
import io.vendorlink.testing.TestRuntime;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Wrong credentials (protocol note §4, §12.4): one clear credential failure, never a retry storm. */
class SecutixAuthenticationTest {

    @Test
    void wrongPasswordIsAClearAuthenticationErrorWithoutRetryStorm() throws Exception {
        try (TestRuntime rt = TestRuntime.builder().enable("secutix")
                .property("vendorlink.secutix.password", "wrong-password-for-test")
                .property("vendorlink.secutix.alive.services", "").start()) {
            SecutixSandbox sandbox = rt.context().getRegistry().lookupByNameAndType("secutixSandbox", SecutixSandbox.class);
            // direct call: the caller gets the classified failure
            assertThatThrownBy(() -> rt.producer().requestBodyAndHeaders("direct:secutix-call", "{\"orderId\": 1}",
                    Map.of("SecutixService", "order", "SecutixOperation", "getOrderDetails")))
                    .rootCause().isInstanceOf(CredentialsExpiredException.class)
                    .hasMessageContaining("refused the credentials of operator SANDBOX_B2C")
                    .hasMessageContaining("FailedAuthentication")
                    .hasMessageNotContaining("wrong-password-for-test");
            // queued calls: each one dead-lettered after exactly one attempt
            for (int i = 0; i < 5; i++) {
                rt.producer().sendBody("jms:queue:vendorlink.secutix.calls", "{\"id\": \"a" + i
                        + "\", \"service\": \"order\", \"operation\": \"getOrderDetails\", \"payload\": {\"orderId\": 1}}");
            }
            for (int i = 0; i < 5; i++) {
                Exchange dead = rt.consumer().receive("jms:queue:vendorlink.dead-letter", 20_000);
                assertThat(dead).isNotNull();
                assertThat(dead.getMessage().getHeader("VendorlinkDeadLetterOutcome", String.class)).isEqualTo("CREDENTIALS_EXPIRED");
                assertThat(dead.getMessage().getHeader("VendorlinkDeadLetterReason", String.class))
                        .contains("check vendorlink.secutix.username and vendorlink.secutix.password");
            }
            long authAttempts = sandbox.calls().stream().filter(c -> c.verdict().equals("authentication failed")).count();
            assertThat(authAttempts).as("1 direct call + 5 queued calls, no retries").isEqualTo(6);
            VendorHealthCheck health = rt.context().getRegistry().lookupByNameAndType("health-vendor-secutix", VendorHealthCheck.class);
            assertThat(health.isUp()).isFalse();
            assertThat(health.reason()).contains("refused the credentials");
            // the password never reaches the log
            String log = Files.readString(java.nio.file.Path.of(System.getProperty("user.dir"), "target", "surefire-reports",
                    "io.vendorlink.secutix.SecutixAuthenticationTest-output.txt"));
            assertThat(log).doesNotContain("wrong-password-for-test");
        }
    }

    @Test
    void minimalStyleAndThe401RejectFormAreHandledToo() {
        try (TestRuntime rt = TestRuntime.builder().enable("secutix")
                .property("vendorlink.secutix.wsse.style", "minimal")
                .property("vendorlink.secutix.alive.services", "").start()) {
            SecutixSandbox sandbox = rt.context().getRegistry().lookupByNameAndType("secutixSandbox", SecutixSandbox.class);
            String ok = rt.producer().requestBodyAndHeaders("direct:secutix-call", "{\"orderId\": 7}",
                    Map.of("SecutixService", "order", "SecutixOperation", "getOrderDetails"), String.class);
            assertThat(ok).contains("\"statusCode\":\"success\"");
            SecutixSandbox.Call seen = sandbox.calls().stream().filter(c -> c.operation().equals("getOrderDetails")).findFirst().orElseThrow();
            assertThat(seen.passwordTypeSent()).as("the seed's form has no Password Type").isFalse();
            assertThat(seen.mustUnderstandSent()).isFalse();
            // an operator flips the sandbox to answer bad credentials with HTTP 401 (admin API)
            Sandboxes.fault(rt, "secutix", "authRejectForm", "401");
            Sandboxes.fault(rt, "secutix", "auth.reject", "1");
            assertThatThrownBy(() -> rt.producer().requestBodyAndHeaders("direct:secutix-call", "{\"orderId\": 7}",
                    Map.of("SecutixService", "order", "SecutixOperation", "getOrderDetails")))
                    .rootCause().isInstanceOf(CredentialsExpiredException.class).hasMessageContaining("HTTP 401");
        }
    }
}
