package io.vendorlink.certna;

import io.vendorlink.testing.TestDirs;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vendorlink.core.queue.DeadLetter;
import io.vendorlink.core.queue.OutcomeLedger;
import io.vendorlink.core.sandbox.RecordedRequest;
import io.vendorlink.testing.Sandboxes;
import io.vendorlink.testing.TestRuntime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The Submit and Collect workflows of routes/certna.camel.yaml, in-process against the sandbox. */
class CertnaWorkflowTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestRuntime rt;

    static String pria(String reference) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><REQUEST_GROUP PRIAVersionIdentifier=\"2.4.2\"><PACKAGE>"
                + "<PRIA_DOCUMENT _Code=\"DEED\" _UniqueIdentifier=\"" + reference + "-1\"><EMBEDDED_FILE>"
                + "<DOCUMENT>SGVsbG8g\nV29ybGQ=</DOCUMENT></EMBEDDED_FILE></PRIA_DOCUMENT>"
                + "<PRIA_DOCUMENT _Code=\"TRUST\" _UniqueIdentifier=\"" + reference + "-2\"><EMBEDDED_FILE>"
                + "<DOCUMENT>U2Vjb25kIGRvYw==</DOCUMENT></EMBEDDED_FILE></PRIA_DOCUMENT></PACKAGE></REQUEST_GROUP>";
    }

    private static Path watched;

    @BeforeAll
    static void boot() throws Exception {
        watched = TestDirs.create("certna-submit-folder-");
        rt = CertnaRuntimes.start("vendorlink.certna.collect.enabled", "true",
                "vendorlink.certna.collect.cron", "0/1+*+*+*+*+?",
                "vendorlink.certna.submit.folder", watched.toString());
    }

    @AfterAll
    static void stop() {
        rt.close();
    }

    @BeforeEach
    void clean() {
        CertnaRuntimes.server(rt).faults().clearAll();
        CertnaRuntimes.server(rt).clearRequests();
    }

    private static void submit(String payloadName, String submissionId, String xml) {
        Map<String, Object> headers = submissionId == null ? Map.of(CertnaRoutes.PAYLOAD_NAME, payloadName)
                : Map.of(CertnaRoutes.PAYLOAD_NAME, payloadName, CertnaRoutes.SUBMISSION_ID, submissionId);
        rt.producer().sendBodyAndHeaders("jms:queue:vendorlink.certna.submissions?jmsMessageType=Text", xml, headers);
    }

    /** The next outcome published for this submission key (outcomes of other tests are skipped). */
    private static JsonNode outcome(String key) throws Exception {
        for (int i = 0; i < 20; i++) {
            String body = CertnaQueues.text(CertnaQueues.receive("vendorlink.certna.outcomes", 30_000));
            assertThat(body).as("an outcome is published").isNotNull();
            JsonNode n = JSON.readTree(body);
            if (key == null || n.get("key").asText().equals(key)) {
                return n;
            }
        }
        throw new AssertionError("no outcome for " + key);
    }

    private static List<RecordedRequest> sends(String name) {
        return CertnaRuntimes.requests(rt, "POST", "/payloads/Send/" + name);
    }

    @Test
    void submitStoresChecksumsSendsFinalizesAndPublishesTheOutcome() throws Exception {
        submit("order-7.xml", "sub-7", pria("order-7"));
        JsonNode out = outcome("sub-7");
        assertThat(out.get("finalName").asText()).isEqualTo("order-7.xml");
        assertThat(out.get("checksumKeys")).hasSize(2);
        Path landed = CertnaRuntimes.sandbox(rt).repository("Send").resolve("order-7.xml");
        assertThat(landed).exists();
        String xml = Files.readString(landed);
        assertThat(xml).contains("RequestChecksumAlgorithm=\"SHA384\"", "RequestChecksumValue=\"" + out.get("checksumKeys").get(0).asText())
                .contains("<DOCUMENT>SGVsbG8gV29ybGQ=</DOCUMENT>"); // Base64 without line breaks (§5)
        assertThat(sends("order-7.xml")).hasSize(1);
        assertThat(sends("order-7.xml").get(0).verdict()).contains("checksums ok=2 wrong=0");
        assertThat(CertnaRuntimes.requests(rt, "POST", "/storechecksum")).hasSize(2);
    }

    @Test
    void theSameDocumentDeliveredAgainIsNotSubmittedTwice() throws Exception {
        submit("order-8.xml", "sub-8", pria("order-8"));
        JsonNode first = outcome("sub-8");
        submit("order-8.xml", "sub-8", pria("order-8"));
        JsonNode second = outcome("sub-8");
        assertThat(second).isEqualTo(first);
        // without a submission id the content is the key
        submit("order-9.xml", null, pria("order-9"));
        JsonNode third = outcome(null);
        submit("order-9.xml", null, pria("order-9"));
        assertThat(outcome(third.get("key").asText())).isEqualTo(third);
        assertThat(third.get("key").asText()).startsWith("sha256:");
        assertThat(sends("order-8.xml")).hasSize(1);
        assertThat(sends("order-9.xml")).hasSize(1);
        try (var files = Files.list(CertnaRuntimes.sandbox(rt).repository("Send"))) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("order-8") || n.startsWith("order-9")))
                    .containsExactlyInAnyOrder("order-8.xml", "order-9.xml");
        }
    }

    @Test
    void aFailedFinalizeIsRetriedOnTheRememberedTmpNameWithoutResending() throws Exception {
        Sandboxes.fault(rt, "certna", "payloads.finalizeError", "2");
        submit("order-10.xml", "sub-10", pria("order-10"));
        assertThat(outcome("sub-10").get("finalName").asText()).isEqualTo("order-10.xml");
        assertThat(sends("order-10.xml")).hasSize(1);
        assertThat(CertnaRuntimes.requests(rt, "POST", "/payloads/Send/order-10.tmp/finalize"))
                .extracting(RecordedRequest::status).containsExactly(500, 500, 200);
    }

    @Test
    void aSendWhoseAnswerWasLostIsFoundInTheRepositoryNotSentAgain() throws Exception {
        Sandboxes.fault(rt, "certna", "payloads.sendLostAnswer", "1");
        submit("order-11.xml", "sub-11", pria("order-11"));
        // the outcome of the send is unknown: not retried blindly, dead-lettered with the reason
        jakarta.jms.Message dead = CertnaQueues.receive("vendorlink.dead-letter", 30_000);
        assertThat(dead).isNotNull();
        assertThat(dead.getStringProperty(DeadLetter.OUTCOME)).isEqualTo("UNKNOWN_OUTCOME");
        assertThat(sends("order-11.xml")).hasSize(1);
        // an operator (or the sender) redelivers it: the .tmp that landed is adopted and finalized
        submit("order-11.xml", "sub-11", pria("order-11"));
        assertThat(outcome("sub-11").get("finalName").asText()).isEqualTo("order-11.xml");
        assertThat(sends("order-11.xml")).as("never re-sent").hasSize(1);
        assertThat(CertnaRuntimes.sandbox(rt).repository("Send").resolve("order-11_2.tmp")).doesNotExist();
    }

    @Test
    void aDocumentDroppedIntoTheWatchedFolderIsSubmittedUnderItsFileName() throws Exception {
        Files.writeString(watched.resolve("folder-1.xml.part"), pria("folder-1"));
        Files.move(watched.resolve("folder-1.xml.part"), watched.resolve("folder-1.xml"));
        JsonNode out = null;
        for (int i = 0; i < 20 && out == null; i++) {
            JsonNode n = outcome(null);
            out = n.get("payloadName").asText().equals("folder-1.xml") ? n : null;
        }
        assertThat(out).isNotNull();
        assertThat(out.get("finalName").asText()).isEqualTo("folder-1.xml");
        assertThat(out.get("key").asText()).startsWith("sha256:");
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(watched.resolve(".submitted/folder-1.xml")));
    }

    @Test
    void collectPublishesEachInboundDocumentWithItsKeyAndDeletesItAfterwards() throws Exception {
        Path inbound = CertnaRuntimes.sandbox(rt).repository("Retrieve");
        Files.writeString(inbound.resolve("resp-1.xml"), "<RESPONSE_GROUP>1</RESPONSE_GROUP>");
        Files.writeString(inbound.resolve("resp-2.xml"), "<RESPONSE_GROUP>2</RESPONSE_GROUP>");
        Files.writeString(inbound.resolve("resp-3.tmp"), "<RESPONSE_GROUP>not finalized</RESPONSE_GROUP>");
        Set<String> keys = new HashSet<>();
        Set<String> bodies = new HashSet<>();
        for (int i = 0; i < 2; i++) {
            jakarta.jms.Message e = CertnaQueues.receive("vendorlink.certna.inbound", 30_000);
            assertThat(e).as(() -> "published; sandbox saw " + CertnaRuntimes.server(rt).requests().stream()
                    .map(r -> r.method() + " " + r.rawPath() + " " + r.status() + " " + r.verdict()).toList()).isNotNull();
            keys.add(e.getStringProperty(OutcomeLedger.KEY));
            bodies.add(CertnaQueues.text(e));
        }
        assertThat(keys).containsExactlyInAnyOrder("certna:Retrieve/resp-1.xml", "certna:Retrieve/resp-2.xml");
        assertThat(bodies).containsExactlyInAnyOrder("<RESPONSE_GROUP>1</RESPONSE_GROUP>", "<RESPONSE_GROUP>2</RESPONSE_GROUP>");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(inbound.resolve("resp-1.xml")).doesNotExist();
            assertThat(inbound.resolve("resp-2.xml")).doesNotExist();
        });
        assertThat(inbound.resolve("resp-3.tmp")).as("unfinalized uploads are left alone").exists();
        // locked before retrieve, retrieved before deleted
        List<String> order = CertnaRuntimes.server(rt).requests(r -> r.rawPath().contains("resp-1.xml") && r.status() == 200)
                .stream().map(r -> r.method() + (r.rawPath().endsWith("/lock") ? " lock" : "")).toList();
        assertThat(order).containsSubsequence("POST lock", "GET", "DELETE");
        Files.delete(inbound.resolve("resp-3.tmp"));
    }
}
