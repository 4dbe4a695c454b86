package io.vendorlink.certna;

import io.vendorlink.core.failure.TransientException;
import io.vendorlink.core.sandbox.RecordedRequest;
import io.vendorlink.testing.Sandboxes;
import io.vendorlink.testing.TestRuntime;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Transport faults (§12.9) and the production guard on sandbox-only secrets. */
class CertnaTransportTest {

    @Test
    void aResetOrABackendDatabaseErrorOnAReadIsRetriedAndATimeoutThatPersistsIsSurfacedAsTransient() {
        try (TestRuntime rt = CertnaRuntimes.start("vendorlink.certna.http.requestTimeout", "PT0.5S")) {
            rt.producer().requestBody("direct:certna-list-repositories", (Object) null); // logged in
            CertnaRuntimes.server(rt).clearRequests();
            Sandboxes.fault(rt, "certna", "http.reset", "1");
            Sandboxes.fault(rt, "certna", "http.500", "1");
            assertThat((List<?>) rt.producer().requestBody("direct:certna-list-repositories", (Object) null)).isNotEmpty();
            assertThat(CertnaRuntimes.server(rt).requests()).extracting(RecordedRequest::status).containsExactly(0, 500, 200);

            CertnaRuntimes.server(rt).clearRequests();
            Sandboxes.fault(rt, "certna", "http.slowMillis", "1000:always");
            assertThatThrownBy(() -> rt.producer().requestBody("direct:certna-list-repositories", (Object) null))
                    .cause().isInstanceOf(TransientException.class).hasMessageContaining("HttpTimeoutException");
            Sandboxes.fault(rt, "certna", "http.slowMillis", "false");
            // the first try and vendorlink.certna.retry.transient.maxRedeliveries (4) redeliveries, then it gives up
            // (the sandbox records a request when its slow answer is finally written)
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(CertnaRuntimes.requests(rt, "GET", "/payloads")).hasSize(5));
        }
    }

    @Test
    void sandboxOnlySecretsAreRefusedOutsideSandboxMode() {
        assertThatThrownBy(() -> TestRuntime.builder().enable("certna")
                .property("vendorlink.sandbox.enabled", "false")
                .property("vendorlink.certna.tls.trustCertificates", "")
                .property("vendorlink.certna.collect.enabled", "false").start())
                .rootCause().hasMessageContaining("vendorlink.certna.password still has its sandbox-only default")
                .hasMessageContaining("VENDORLINK_CERTNA_PASSWORD");
    }
}
