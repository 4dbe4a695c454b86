package io.vendorlink.certna;

import io.vendorlink.core.sandbox.RecordedRequest;
import io.vendorlink.core.sandbox.SandboxServer;
import io.vendorlink.sandbox.certna.CertnaSandbox;
import io.vendorlink.testing.TestRuntime;

import java.util.List;

/** Boots the runtime with the CeRTNA connector and its sandbox; the Collect poll is off unless a test turns it on. */
final class CertnaRuntimes {
    private CertnaRuntimes() {
    }

    static TestRuntime start(String... keyValues) {
        TestRuntime.Builder b = TestRuntime.builder().enable("certna")
                .property("vendorlink.certna.collect.enabled", "false")
                // fast back-off so transient paths finish quickly in tests
                .property("vendorlink.certna.retry.transient.initialDelay", "PT0.05S")
                .property("vendorlink.certna.retry.transient.maxDelay", "PT0.2S");
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            b.property(keyValues[i], keyValues[i + 1]);
        }
        return b.start();
    }

    static CertnaSandbox sandbox(TestRuntime rt) {
        return rt.context().getRegistry().lookupByNameAndType("certnaSandbox", CertnaSandbox.class);
    }

    static SandboxServer server(TestRuntime rt) {
        return sandbox(rt).server();
    }

    static CertnaClient client(TestRuntime rt) {
        return rt.context().getRegistry().lookupByNameAndType("certnaClient", CertnaClient.class);
    }

    static List<RecordedRequest> logins(TestRuntime rt) {
        return server(rt).requests(r -> r.rawPath().equals("/user/login"));
    }

    static List<RecordedRequest> requests(TestRuntime rt, String method, String pathPart) {
        return server(rt).requests(r -> r.method().equals(method) && r.rawPath().contains(pathPart));
    }
}
