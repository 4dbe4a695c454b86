package io.vendorlink.proof;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.vendorlink.core.queue.DeadLetter;
import io.vendorlink.core.sandbox.RecordedRequest;
import io.vendorlink.sandbox.centagate.CentagateSandbox;
import io.vendorlink.sandbox.certna.CertnaSandbox;
import io.vendorlink.sandbox.secutix.SecutixSandbox;
import io.vendorlink.sandbox.sentinel.SentinelSandbox;
import io.vendorlink.sandbox.spaces.SpacesSandbox;
import io.vendorlink.spaces.SpacesFirehose;
import io.vendorlink.testing.Sandboxes;
import io.vendorlink.testing.TestRuntime;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Malformed VENDOR ANSWERS (issue 9, fault suite): every vendor's sandbox, switched by the core fault switch
 * {@code answer.corpus=<entry>} ({@link io.vendorlink.core.sandbox.AnswerCorpus}), answers a queued request with a
 * corpus body (truncated XML/JSON/SOAP, wrong types, missing elements, empty, HTML, invalid UTF-8, XXE, billion laughs,
 * 20 MiB, gzip that is not gzip). For each vendor x entry the request ends on the dead-letter queue, bounded in time,
 * with a reason that names what is wrong; idempotent calls are retried the bounded number of times of the vendor's
 * error policy first. XXE is never resolved (the entity points at a loopback server of this test that must see no
 * request). Cisco Spaces' activation answers "invalid answer" (UNKNOWN_OUTCOME, never retried) and its Firehose
 * counts and skips malformed NDJSON lines, including a 20 MiB line, and keeps streaming. Afterwards every vendor still
 * serves a good request.
 */
class VendorAnswersMalformedTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int RETRIES = 2;

    /** One corpus entry on one vendor: the reason must contain every fragment; {@code outcome} the dead-letter outcome. */
    private record Case(String entry, String outcome, String... reason) {
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void everyMalformedVendorAnswerBecomesAClassifiedDeadLetterWithAReasonAndTheRuntimeKeepsServing() throws Exception {
        AtomicInteger entityFetches = new AtomicInteger();
        HttpServer xxeTarget = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        xxeTarget.createContext("/", ex -> {
            entityFetches.incrementAndGet();
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        xxeTarget.start();
        String entityUrl = "http://127.0.0.1:" + xxeTarget.getAddress().getPort() + "/xxe-entity";
        TestRuntime.Builder b = TestRuntime.builder().enableAll()
                .property("vendorlink.secutix.alive.services", "")
                .property("vendorlink.secutix.catalogSync.enabled", "false")
                .property("vendorlink.certna.collect.enabled", "false")
                .property("vendorlink.centagate.session.authenticateAtStart", "false")
                .property("vendorlink.broker.maxDeliveryAttempts", "2")
                .property("vendorlink.broker.redeliveryDelay", "PT0.1S");
        for (String v : TestRuntime.VENDORS) {
            b.property("vendorlink." + v + ".retry.transient.maxRedeliveries", String.valueOf(RETRIES))
                    .property("vendorlink." + v + ".retry.transient.initialDelay", "PT0.05S")
                    .property("vendorlink." + v + ".retry.transient.maxDelay", "PT0.1S");
        }
        Map<String, String> found = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        try (TestRuntime rt = b.start()) {
            for (String v : List.of("sentinel", "secutix", "certna", "centagate")) {
                Sandboxes.fault(rt, v, "answer.corpus.entityUrl", entityUrl);
            }
            int checked = 0;
            for (String entry : io.vendorlink.core.sandbox.AnswerCorpus.ENTRIES) {
                if (entry.equals("custom")) {
                    continue;
                }
                // Sentinel openSession (non-idempotent, a seat may be consumed): unknown outcome, never repeated
                check(failures, "sentinel", entry, deadLetter(rt, "sentinel", "/licenseSessions", entry,
                        "jms:queue:vendorlink.sentinel.requests", "{\"action\":\"open\",\"reference\":\"corpus-" + entry
                                + "\",\"customer\":\"c1\",\"user\":\"u1\",\"feature\":\"fname1\",\"version\":\"1.0\",\"units\":1}"),
                        "UNKNOWN_OUTCOME", sentinelReason(entry), corpusAnswers(rt, "sentinel", entry), 1);
                // SecuTix getOrderDetails (idempotent): retried by the error policy, then dead-lettered
                check(failures, "secutix", entry, deadLetter(rt, "secutix", "getOrderDetails", entry,
                        "jms:queue:vendorlink.secutix.calls", "{\"id\":\"corpus-" + entry + "\",\"service\":\"order\","
                                + "\"operation\":\"getOrderDetails\",\"payload\":{\"orderId\":2001}}"),
                        "TRANSIENT", entry.equals("gzip-lie") ? "not gzip" : entry.equals("huge")
                                ? "getOrderDetails" : "SecuTix answered getOrderDetails with a malformed answer",
                        corpusAnswers(rt, "secutix", entry), 1 + RETRIES);
                // CeRTNA: the first call of a submission is the login (idempotent): retried, then dead-lettered
                check(failures, "certna", entry, deadLetter(rt, "certna", "/user/login", entry,
                        "jms:queue:vendorlink.certna.submissions?jmsMessageType=Text", pria("corpus-" + entry)),
                        "TRANSIENT", certnaReason(entry), corpusAnswers(rt, "certna", entry), 1 + RETRIES);
                // CentaGate: the session login (authBasic) first: retried, then dead-lettered
                check(failures, "centagate", entry, deadLetter(rt, "centagate", null, entry,
                        "jms:queue:vendorlink.centagate.registrations", "{\"requestId\":\"corpus-" + entry
                                + "\",\"username\":\"user1\",\"tokenSn\":\"SN" + Math.abs(entry.hashCode()) + "\",\"tokenType\":2}"),
                        "TRANSIENT", entry.equals("huge") ? "answer larger than 8 MB" : "CentaGate authBasic answered",
                        corpusAnswers(rt, "centagate", entry), 1 + RETRIES);
                checked += 4;
            }
            found.forEach((k, v) -> System.out.println("CORPUS " + k + " => " + v));

            // Cisco Spaces Firehose (first: an activation rotates the API key, which ends the stream): malformed NDJSON lines (one of 20 MiB) are counted and skipped, the stream continues
            SpacesSandbox spaces = rt.context().getRegistry().lookupByNameAndType("spacesSandbox", SpacesSandbox.class);
            int streams = spaces.streamsPositioned();
            JsonNode first = JSON.readTree(rt.producer().requestBody("direct:spaces-activate", JSON.writeValueAsString(
                    Map.of("token", spaces.mint(SpacesSandbox.TokenKind.GOOD), "appDashboardUrl",
                            "https://partner.example/dashboard")), String.class));
            assertThat(first.path("outcome").asText()).as("activation that starts the Firehose").isEqualTo("ACTIVATED");
            SpacesFirehose firehose = rt.context().getRegistry().lookupByNameAndType("spacesFirehose", SpacesFirehose.class);
            long malformedBefore = firehose.malformed();
            long publishedBefore = firehose.published();
            // The stream starts at "now" (no checkpoint yet): events generated before it is open would never reach it.
            await().atMost(java.time.Duration.ofSeconds(30)).until(() -> spaces.streamsPositioned() > streams);
            Sandboxes.fault(rt, "spaces", "firehose.corpus", "1");
            spaces.generate(50, System.currentTimeMillis() + 60_000, "corpus");
            await().atMost(java.time.Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(firehose.malformed() - malformedBefore).as("malformed Firehose lines counted")
                        .isEqualTo(io.vendorlink.core.sandbox.AnswerCorpus.NDJSON_LINES);
                assertThat(firehose.published() - publishedBefore).as("events published after the malformed lines")
                        .isEqualTo(50);
            });

            // Cisco Spaces activation (non-idempotent: a second use of the token deactivates the app): "invalid answer"
            for (String entry : List.of("truncated-json", "wrong-types-json", "missing-json", "empty", "html",
                    "invalid-utf8-json", "xxe", "huge")) {
                Sandboxes.fault(rt, "spaces", "answer.corpus.path", SpacesSandbox.ACTIVATE_PATH);
                Sandboxes.fault(rt, "spaces", "answer.corpus", entry + ":1");
                String token = spaces.mint(SpacesSandbox.TokenKind.GOOD);
                JsonNode out = JSON.readTree(rt.producer().requestBody("direct:spaces-activate", JSON.writeValueAsString(
                        Map.of("token", token, "appDashboardUrl", "https://partner.example/dashboard")), String.class));
                Sandboxes.fault(rt, "spaces", "answer.corpus", "false");
                System.out.println("CORPUS spaces activation " + entry + " => " + out);
                String expected = entry.equals("huge") ? "answer larger than 8 MB" : entry.equals("wrong-types-json")
                        ? "'status' is not true or false" : "invalid answer from Cisco Spaces";
                if (!"UNKNOWN_OUTCOME".equals(out.path("outcome").asText()) || !out.toString().contains(expected)) {
                    failures.add("spaces activation " + entry + ": expected UNKNOWN_OUTCOME with '" + expected + "', got " + out);
                }
            }

            assertThat(failures).as("vendor x corpus entries whose dead letter is not as expected").isEmpty();
            assertThat(checked).isEqualTo(4 * (io.vendorlink.core.sandbox.AnswerCorpus.ENTRIES.size() - 1));

            // still serving: a good request per vendor after the whole corpus
            rt.producer().sendBody("jms:queue:vendorlink.sentinel.requests", "{\"action\":\"open\",\"reference\":"
                    + "\"after-corpus\",\"customer\":\"c1\",\"user\":\"u1\",\"feature\":\"fname1\",\"version\":\"1.0\",\"units\":1}");
            assertThat(rt.consumer().receiveBody("jms:queue:vendorlink.sentinel.outcomes", 30_000, String.class))
                    .contains("after-corpus").contains("opened");
            rt.producer().sendBody("jms:queue:vendorlink.secutix.calls", "{\"id\":\"after-corpus\",\"service\":\"order\","
                    + "\"operation\":\"getOrderDetails\",\"payload\":{\"orderId\":2001}}");
            // the result queue carries the SecuTix result itself (the request id travels in the JMS headers)
            assertThat(rt.consumer().receiveBody("jms:queue:vendorlink.secutix.results", 30_000, String.class))
                    .contains("\"statusCode\":\"success\"").contains("\"orderId\":2001");
            rt.producer().sendBodyAndHeaders("jms:queue:vendorlink.certna.submissions?jmsMessageType=Text",
                    pria("after-corpus"), Map.of("CertnaPayloadName", "after-corpus.xml", "CertnaSubmissionId", "after-corpus"));
            assertThat(rt.consumer().receiveBody("jms:queue:vendorlink.certna.outcomes", 30_000, String.class))
                    .contains("after-corpus.xml");
            rt.producer().sendBody("jms:queue:vendorlink.centagate.registrations", "{\"requestId\":\"after-corpus\","
                    + "\"username\":\"user2\",\"tokenSn\":\"SN-after\",\"tokenType\":2}");
            assertThat(rt.consumer().receiveBody("jms:queue:vendorlink.centagate.outcomes", 30_000, String.class))
                    .contains("user2");
            JsonNode activated = JSON.readTree(rt.producer().requestBody("direct:spaces-activate", JSON.writeValueAsString(
                    Map.of("token", spaces.mint(SpacesSandbox.TokenKind.GOOD), "appDashboardUrl",
                            "https://partner.example/dashboard")), String.class));
            assertThat(activated.path("outcome").asText()).isEqualTo("ACTIVATED");
        } finally {
            xxeTarget.stop(0);
        }
        assertThat(entityFetches.get()).as("fetches of the XXE external entity").isZero();
    }

    private static String sentinelReason(String entry) {
        return switch (entry) {
            case "missing-xml", "empty", "gzip-lie" -> "without a session handle";
            case "huge" -> "answer larger than 8 MB";
            case "xxe", "billion-laughs", "html" -> "DOCTYPE is disallowed";
            case "invalid-utf8" -> "UTF-8";
            default -> "Sentinel answered openSession with HTTP 200 but the body is not well-formed XML at line 1";
        };
    }

    private static String certnaReason(String entry) {
        return switch (entry) {
            case "huge" -> "answer larger than 8 MB";
            case "wrong-types-json" -> "CeRTNA answered login with 'access_token' that is not text but array";
            case "missing-json" -> "CeRTNA answered login without 'access_token'";
            case "empty" -> "CeRTNA answered login with 2xx but the body is empty";
            default -> "CeRTNA answered login with 2xx but the body is not JSON";
        };
    }

    /** Answers of the vendor's sandbox replaced by this corpus entry (the vendor calls the runtime made). */
    private static long corpusAnswers(TestRuntime rt, String vendor, String entry) {
        String mark = "corpus entry " + entry;
        var registry = rt.context().getRegistry();
        return switch (vendor) {
            case "secutix" -> registry.lookupByNameAndType("secutixSandbox", SecutixSandbox.class).calls().stream()
                    .filter(c -> c.verdict().endsWith(mark)).count();
            case "sentinel" -> count(registry.lookupByNameAndType("sentinelSandbox", SentinelSandbox.class).server().requests(), mark);
            case "certna" -> count(registry.lookupByNameAndType("certnaSandbox", CertnaSandbox.class).server().requests(), mark);
            case "centagate" -> count(registry.lookupByNameAndType("centagateSandbox", CentagateSandbox.class).server().requests(), mark);
            default -> throw new IllegalArgumentException(vendor);
        };
    }

    private static long count(List<RecordedRequest> requests, String mark) {
        return requests.stream().filter(r -> r.verdict().endsWith(mark)).count();
    }

    private void check(List<String> failures, String vendor, String entry, String deadLetter, String outcome,
                       String reason, long calls, long expectedCalls) {
        String what = vendor + " " + entry + " => " + deadLetter + " (" + calls + " call(s))";
        System.out.println("CORPUS " + what);
        if (!deadLetter.startsWith(outcome + " | ") || !deadLetter.contains(reason)) {
            failures.add(what + ": expected " + outcome + " with '" + reason + "'");
        } else if (calls != expectedCalls) {
            failures.add(what + ": expected " + expectedCalls + " vendor call(s) answered by the corpus");
        }
    }

    private String deadLetter(TestRuntime rt, String vendor, String path, String entry, String uri, String body) {
        if (path != null) {
            Sandboxes.fault(rt, vendor, "answer.corpus.path", path);
        }
        Sandboxes.fault(rt, vendor, "answer.corpus", entry);
        String id = vendor + "-" + entry;
        try {
            Map<String, Object> headers = new LinkedHashMap<>();
            headers.put("JMSCorrelationID", id);
            headers.put("CertnaPayloadName", "corpus-" + entry + ".xml");
            headers.put("CertnaSubmissionId", "corpus-" + entry);
            rt.producer().sendBodyAndHeaders(uri, body, headers);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                Exchange dead = rt.consumer().receive("jms:queue:vendorlink.dead-letter", 1_000);
                if (dead != null && id.equals(dead.getMessage().getHeader("JMSCorrelationID", String.class))) {
                    return dead.getMessage().getHeader(DeadLetter.OUTCOME, String.class) + " | "
                            + dead.getMessage().getHeader(DeadLetter.REASON, String.class);
                }
            }
            return "NOT DEAD-LETTERED within 30 s";
        } finally {
            Sandboxes.fault(rt, vendor, "answer.corpus", "false");
            Sandboxes.fault(rt, vendor, "answer.corpus.path", "false");
        }
    }

    /** A PRIA document as the CeRTNA tour submits it. */
    private static String pria(String reference) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><REQUEST_GROUP PRIAVersionIdentifier=\"2.4.2\"><PACKAGE>"
                + "<PRIA_DOCUMENT _Code=\"DEED\" _UniqueIdentifier=\"" + reference + "-1\"><EMBEDDED_FILE>"
                + "<DOCUMENT>SGVsbG8gV29ybGQ=</DOCUMENT></EMBEDDED_FILE></PRIA_DOCUMENT></PACKAGE></REQUEST_GROUP>";
    }
}
