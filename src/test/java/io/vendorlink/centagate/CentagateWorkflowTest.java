package io.vendorlink.centagate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vendorlink.core.queue.DeadLetter;
import io.vendorlink.sandbox.centagate.CentagateSandbox;
import io.vendorlink.testing.TestRuntime;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.apache.camel.builder.RouteBuilder;

import java.util.ArrayList;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** routes/centagate.camel.yaml through the real embedded broker, database and the CentaGate sandbox. */
class CentagateWorkflowTest {
    private static final String IN = "jms:queue:vendorlink.centagate.registrations";
    private static final String OUT = "jms:queue:vendorlink.centagate.outcomes";
    private static final String DLQ = "jms:queue:vendorlink.dead-letter";
    private static final long WAIT = 20_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static TestRuntime rt;
    private static ProducerTemplate producer;
    private static CentagateSandbox sandbox;
    /** Long-lived listeners on the outcome and dead-letter queues (no consumer churn between receives). */
    private static final BlockingQueue<String> OUTCOMES = new LinkedBlockingQueue<>();
    private static final BlockingQueue<Exchange> DEAD = new LinkedBlockingQueue<>();

    @BeforeAll
    static void start() throws Exception {
        rt = TestRuntime.builder().enable("centagate")
                .property("vendorlink.centagate.session.authenticateAtStart", "false")
                .property("vendorlink.centagate.retry.transient.initialDelay", "10ms")
                .property("vendorlink.centagate.retry.transient.maxDelay", "40ms")
                .start();
        producer = rt.producer();
        sandbox = rt.context().getRegistry().lookupByNameAndType(CentagateConfiguration.SANDBOX_BEAN, CentagateSandbox.class);
        rt.context().addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(OUT).routeId("test-outcomes").process(e -> OUTCOMES.add(e.getMessage().getBody(String.class)));
                from(DLQ).routeId("test-dead-letters").process(e -> DEAD.add(e.copy()));
            }
        });
        for (String id : new String[]{"test-outcomes", "test-dead-letters"}) {
            if (!rt.context().getRouteController().getRouteStatus(id).isStarted()) {
                rt.context().getRouteController().startRoute(id);
            }
        }
    }

    @AfterAll
    static void stop() {
        rt.close();
    }

    @BeforeEach
    void reset() {
        OUTCOMES.clear();
        DEAD.clear();
        sandbox.server().faults().clearAll();
        sandbox.server().clearRequests();
    }

    private static JsonNode outcome() throws Exception {
        String body = OUTCOMES.poll(WAIT, TimeUnit.MILLISECONDS);
        assertThat(body).as("an outcome within " + WAIT + " ms").isNotNull();
        return JSON.readTree(body);
    }

    private static long vendorCalls() {
        return sandbox.server().requests(r -> r.rawPath().contains("/CentagateWS/")).size();
    }

    @Test
    void aRegistrationRequestBecomesARegisteredOutcomeWithCodeAndMessage() throws Exception {
        producer.sendBody(IN, "{\"requestId\":\"r-1\",\"username\":\"user101\",\"tokenSn\":\"OTP0060\",\"tokenType\":2}");
        JsonNode out = outcome();
        assertThat(out.get("requestId").asText()).isEqualTo("r-1");
        assertThat(out.get("outcome").asText()).isEqualTo("REGISTERED");
        assertThat(out.get("code").asText()).isEqualTo("0");
        assertThat(out.get("message").asText()).isEqualTo("Success");
        assertThat(out.get("boundUser").asText()).isEqualTo("user101");
        assertThat(sandbox.boundOtp("user101")).isEqualTo("OTP0060");
    }

    @Test
    void aBusinessRejectionBecomesARejectedOutcomeWithTheVendorsCodeAndMessage() throws Exception {
        producer.sendBody(IN, "{\"username\":\"bob\",\"tokenSn\":\"OTP0061\",\"tokenType\":\"OTP\"}");
        JsonNode out = outcome();
        assertThat(out.get("outcome").asText()).isEqualTo("REJECTED");
        assertThat(out.get("code").asText()).isEqualTo("29008");
        assertThat(out.get("message").asText()).isEqualTo("An OTP token already registered to this user");
        CentagateConnectorTest.assertCount(() -> sandbox.server().requests(r -> r.rawPath().contains("registerActiveToken")).size(), 1);
    }

    @Test
    void malformedRequestsAreDeadLetteredWithTheReasonAndNoVendorCall() throws Exception {
        String[][] cases = {
                {"{not json", "malformed JSON"},
                {"{\"username\":\"user102\",\"tokenType\":2}", "missing required field 'tokenSn'"},
                {"{\"username\":\"user102\",\"tokenSn\":\"OTP0062\",\"tokenType\":7}", "must be 1 (SMS) or 2 (OTP)"},
                {"{\"username\":\"user102\",\"tokenSn\":\"not-a-phone\",\"tokenType\":1}", "must be a mobile number"},
        };
        for (String[] c : cases) {
            producer.sendBody(IN, c[0]);
            Exchange dead = DEAD.poll(WAIT, TimeUnit.MILLISECONDS);
            assertThat(dead).as(c[0]).isNotNull();
            assertThat(dead.getMessage().getHeader(DeadLetter.REASON, String.class)).as(c[0]).contains(c[1]);
            assertThat(dead.getMessage().getHeader(DeadLetter.OUTCOME, String.class)).isEqualTo("INVALID_INPUT");
            assertThat(dead.getMessage().getHeader(DeadLetter.ORIGINAL_QUEUE, String.class))
                    .isEqualTo("vendorlink.centagate.registrations");
        }
        assertThat(vendorCalls()).isZero();
        assertThat(OUTCOMES).isEmpty();
    }

    @Test
    void theSameRequestDeliveredTwiceRegistersOnce() throws Exception {
        int before = sandbox.registrations();
        String request = "{\"username\":\"user103\",\"tokenSn\":\"+60123000103\",\"tokenType\":\"1\"}";
        producer.sendBody(IN, request);
        producer.sendBody(IN, request);
        JsonNode first = outcome();
        JsonNode second = outcome();
        assertThat(first.get("outcome").asText()).isEqualTo("REGISTERED");
        assertThat(second).isEqualTo(first);
        assertThat(sandbox.registrations() - before).isEqualTo(1);
        CentagateConnectorTest.assertCount(() -> sandbox.server().requests(r -> r.rawPath().contains("registerActiveToken")).size(), 1);
    }

    @Test
    void transientDbErrorsInTheWorkflowRecoverByRedelivery() throws Exception {
        sandbox.server().faults().set("registerActiveToken.code", "10004x2");
        producer.sendBody(IN, "{\"username\":\"user104\",\"tokenSn\":\"OTP0064\",\"tokenType\":2}");
        JsonNode out = outcome();
        assertThat(out.get("outcome").asText()).isEqualTo("REGISTERED");
        CentagateConnectorTest.assertCount(() -> sandbox.server().requests(r -> r.rawPath().contains("registerActiveToken")).size(), 3);
    }

    @Test
    void configurationAndUnknownOutcomeFailuresAreDeadLetteredWithCodeAndReason() throws Exception {
        sandbox.server().faults().set("registerActiveToken.code", "10001");
        producer.sendBody(IN, "{\"username\":\"user105\",\"tokenSn\":\"OTP0065\",\"tokenType\":2}");
        Exchange dead = DEAD.poll(WAIT, TimeUnit.MILLISECONDS);
        assertThat(dead).isNotNull();
        assertThat(dead.getMessage().getHeader(DeadLetter.OUTCOME, String.class)).isEqualTo("REJECTED");
        assertThat(dead.getMessage().getHeader(DeadLetter.VENDOR_CODE, String.class)).isEqualTo("10001");
        assertThat(dead.getMessage().getHeader(DeadLetter.REASON, String.class)).contains("Permission not allowed");
        sandbox.server().faults().clearAll();
        sandbox.server().clearRequests();
        sandbox.server().faults().set("http.html500", "1");
        producer.sendBody(IN, "{\"username\":\"user106\",\"tokenSn\":\"OTP0066\",\"tokenType\":2}");
        dead = DEAD.poll(WAIT, TimeUnit.MILLISECONDS);
        assertThat(dead).isNotNull();
        assertThat(dead.getMessage().getHeader(DeadLetter.OUTCOME, String.class)).isEqualTo("UNKNOWN_OUTCOME");
        // a registration that may have happened is never resent blindly
        CentagateConnectorTest.assertCount(() -> sandbox.server().requests(r -> r.rawPath().contains("registerActiveToken")).size(), 1);
    }

    @Test
    void sessionExpiryMidBatchCostsOneReauthenticationAndEveryRequestCompletes() throws Exception {
        // a live session first
        producer.sendBody(IN, "{\"username\":\"user110\",\"tokenSn\":\"OTP0070\",\"tokenType\":2}");
        assertThat(outcome().get("outcome").asText()).isEqualTo("REGISTERED");
        sandbox.server().clearRequests();
        sandbox.server().faults().set("session.expireAfterCalls", "4");
        int n = 10;
        for (int i = 1; i <= n; i++) {
            producer.sendBody(IN, "{\"username\":\"user" + (110 + i) + "\",\"tokenSn\":\"" + String.format("OTP%04d", 70 + i)
                    + "\",\"tokenType\":2}");
        }
        List<String> outcomes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            outcomes.add(outcome().get("outcome").asText());
        }
        assertThat(outcomes).hasSize(n).containsOnly("REGISTERED");
        var reauth = rt.core().metrics().registry().find("vendorlink.reauthentications")
                .tags("vendor", "centagate", "reason", "credentials_expired").counter();
        assertThat(reauth).isNotNull();
        assertThat(reauth.count()).isEqualTo(1.0);
        CentagateConnectorTest.assertCount(() -> sandbox.server().requests(r -> r.rawPath().endsWith("/auth/authBasic")).size(), 1);
        CentagateConnectorTest.assertCount(() -> sandbox.server().requests(r -> r.verdict().contains("session expired")).size(), 1);
        CentagateConnectorTest.assertCount(() -> sandbox.server().requests(r -> r.rawPath().contains("registerActiveToken")).size(), n + 1);
    }
}
