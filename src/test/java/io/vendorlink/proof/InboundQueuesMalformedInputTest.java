package io.vendorlink.proof;

import io.vendorlink.core.queue.DeadLetter;
import io.vendorlink.core.CoreServices;
import io.vendorlink.testing.TestRuntime;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The generated malformed-input corpus on every vendor's inbound queue (issue 9): each input ends on the dead-letter
 * queue with a reason that says what is wrong, the vendor is never called for it, nothing hangs, and the workflow
 * still serves a valid request afterwards. One runtime with the vendors' connectors and sandboxes.
 */
class InboundQueuesMalformedInputTest {

    private record Queue(String vendor, String uri, Map<String, Object> headers, List<MalformedCorpus.Entry> corpus) {
    }

    @Test
    void everyMalformedRequestOnEveryInboundQueueIsDeadLetteredWithAReasonAndNoVendorCall() {
        List<Queue> queues = List.of(
                new Queue("secutix", "jms:queue:vendorlink.secutix.calls", Map.of(), MalformedCorpus.json(
                        "{\"id\":\"c-1\",\"service\":\"catalog\",\"operation\":\"getCatalog\",\"payload\":{\"seasonCode\":\"S2026\"}}")),
                new Queue("centagate", "jms:queue:vendorlink.centagate.registrations", Map.of(), MalformedCorpus.json(
                        "{\"username\":\"user1\",\"tokenSn\":\"+60190000001\",\"tokenType\":\"SMS\"}")),
                new Queue("certna", "jms:queue:vendorlink.certna.submissions", Map.of("CertnaPayloadName", "corpus.xml"),
                        MalformedCorpus.xml("<?xml version=\"1.0\" encoding=\"UTF-8\"?><REQUEST_GROUP PRIAVersionIdentifier="
                                + "\"2.4.2\"><PACKAGE><PRIA_DOCUMENT _Code=\"DEED\" _UniqueIdentifier=\"r-1\"><EMBEDDED_FILE>"
                                + "<DOCUMENT>SGVsbG8=</DOCUMENT></EMBEDDED_FILE></PRIA_DOCUMENT></PACKAGE></REQUEST_GROUP>")));
        try (TestRuntime rt = TestRuntime.builder().enable("secutix", "centagate", "certna")
                .property("vendorlink.secutix.alive.services", "")
                .property("vendorlink.centagate.session.authenticateAtStart", "false")
                .property("vendorlink.certna.collect.enabled", "false").start()) {
            CoreServices core = rt.core();
            Map<String, Integer> vendorRequestsBefore = new HashMap<>();
            for (Queue q : queues) {
                vendorRequestsBefore.put(q.vendor(), vendorRequests(core, q.vendor()));
            }
            int total = 0;
            for (Queue q : queues) {
                for (int i = 0; i < q.corpus().size(); i++) {
                    Map<String, Object> headers = new HashMap<>(q.headers());
                    headers.put("JMSCorrelationID", q.vendor() + "-" + i);
                    rt.producer().sendBodyAndHeaders(q.uri() + "?jmsMessageType=Bytes", q.corpus().get(i).body(), headers);
                    total++;
                }
            }
            Map<String, String> reasons = new HashMap<>();
            Map<String, String> outcomes = new HashMap<>();
            for (int i = 0; i < total; i++) {
                Exchange dead = rt.consumer().receive("jms:queue:vendorlink.dead-letter", 30_000);
                assertThat(dead).as("dead letter %d of %d (so far: %s)", i + 1, total, reasons.keySet()).isNotNull();
                String id = dead.getMessage().getHeader("JMSCorrelationID", String.class);
                reasons.put(id, dead.getMessage().getHeader(DeadLetter.REASON, String.class));
                outcomes.put(id, dead.getMessage().getHeader(DeadLetter.OUTCOME, String.class));
            }
            for (Queue q : queues) {
                for (int i = 0; i < q.corpus().size(); i++) {
                    assertThat(reasons.get(q.vendor() + "-" + i)).as("%s: %s", q.vendor(), q.corpus().get(i).name())
                            .isNotBlank();
                    assertThat(outcomes.get(q.vendor() + "-" + i)).as("%s: %s (%s)", q.vendor(), q.corpus().get(i).name(),
                            reasons.get(q.vendor() + "-" + i)).isEqualTo("INVALID_INPUT");
                }
                assertThat(vendorRequests(core, q.vendor())).as("calls to the %s sandbox caused by the corpus", q.vendor())
                        .isEqualTo(vendorRequestsBefore.get(q.vendor()));
            }
            // still serving: a valid CentaGate registration after the corpus gets its outcome
            rt.producer().sendBody("jms:queue:vendorlink.centagate.registrations",
                    "{\"username\":\"user2\",\"tokenSn\":\"+60190000002\",\"tokenType\":\"SMS\"}");
            assertThat(rt.consumer().receiveBody("jms:queue:vendorlink.centagate.outcomes", 30_000, String.class))
                    .contains("user2");
        }
    }

    /** Requests the vendor's sandbox has seen. */
    private static int vendorRequests(CoreServices core, String vendor) {
        var registry = core.context().getRegistry();
        return switch (vendor) {
            case "secutix" -> registry.lookupByNameAndType("secutixSandbox",
                    io.vendorlink.sandbox.secutix.SecutixSandbox.class).calls().size();
            case "certna" -> registry.lookupByNameAndType("certnaSandbox",
                    io.vendorlink.sandbox.certna.CertnaSandbox.class).server().requests().size();
            case "centagate" -> registry.lookupByNameAndType("centagateSandbox",
                    io.vendorlink.sandbox.centagate.CentagateSandbox.class).server().requests().size();
            default -> throw new IllegalArgumentException(vendor);
        };
    }
}
