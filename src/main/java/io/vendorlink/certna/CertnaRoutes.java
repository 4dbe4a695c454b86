package io.vendorlink.certna;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vendorlink.core.Settings;
import io.vendorlink.core.failure.InvalidInputException;
import io.vendorlink.core.queue.OutcomeLedger;
import io.vendorlink.core.failure.RateLimitedException;
import io.vendorlink.core.failure.TransientException;
import io.vendorlink.core.observe.VendorMetrics;
import io.vendorlink.core.retry.Backoff;
import io.vendorlink.core.retry.VendorErrorPolicy;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The CeRTNA connector's Camel endpoints ({@code direct:certna-*}), each a thin wire from headers to
 * {@link CertnaClient}; all opt into the {@code certna-error-policy} route configuration (transient back-off; no retry
 * for rejections). Headers are documented in the README section "CeRTNA".
 */
public final class CertnaRoutes extends RouteBuilder {
    private static final Logger LOG = LoggerFactory.getLogger(CertnaRoutes.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    public static final String REPOSITORY = "CertnaRepository";
    public static final String PAYLOAD_NAME = "CertnaPayloadName";
    public static final String TMP_NAME = "CertnaTmpName";
    public static final String FILTER = "CertnaFilter";
    public static final String PAGE = "CertnaPage";
    public static final String PAGE_SIZE = "CertnaPageSize";
    public static final String ORDER = "CertnaOrder";
    public static final String CHECKSUM = "CertnaChecksum";
    public static final String CHECKSUM_KEY = "CertnaChecksumKey";
    public static final String CHECKSUM_VALID = "CertnaChecksumValid";
    public static final String SUBMITTER_ID = "CertnaSubmitterId";
    public static final String PRIMARY_REFERENCE = "CertnaPrimaryReference";
    public static final String INCLUDE_HISTORY = "CertnaIncludeHistory";
    public static final String TRANSACTION_TYPE = "CertnaTransactionType";
    public static final String DOCUMENT_ORDER_INDEX = "CertnaDocumentOrderIndex";
    public static final String SUBMISSION_ID = "CertnaSubmissionId";

    private final CertnaClient client;
    private final CertnaSubmissions submissions;
    private final Settings settings;
    private final String outbound;
    private final String inbound;
    private final AtomicBoolean repositoriesChecked = new AtomicBoolean();
    private final Backoff backoff;
    private final int transientRetries;
    private final VendorMetrics metrics;

    public CertnaRoutes(CertnaClient client, CertnaSubmissions submissions, Settings settings, VendorMetrics metrics) {
        this.client = client;
        this.metrics = metrics;
        this.backoff = Backoff.from(settings.child("retry.transient"));
        this.transientRetries = settings.integer("retry.transient.maxRedeliveries");
        this.submissions = submissions;
        this.settings = settings;
        this.outbound = settings.string("repository.outbound");
        this.inbound = settings.string("repository.inbound");
    }

    @Override
    public void configure() {
        String policy = VendorErrorPolicy.id("certna");

        // §5 / §6 checksums
        from("direct:certna-store-checksum").routeId("certna-store-checksum").routeConfigurationId(policy)
                .process(e -> {
                    String checksum = CertnaChecksum.of(required(e, "storeChecksum", "body (the Base64 document text)",
                            e.getMessage().getBody(String.class)));
                    String key = client.storeChecksum(checksum);
                    e.getMessage().setHeader(CHECKSUM, checksum);
                    e.getMessage().setHeader(CHECKSUM_KEY, key);
                    e.getMessage().setBody(key);
                });
        from("direct:certna-validate-checksum").routeId("certna-validate-checksum").routeConfigurationId(policy)
                .process(this::validateChecksum);

        // §7 transaction
        from("direct:certna-transaction").routeId("certna-transaction").routeConfigurationId(policy)
                .process(e -> e.getMessage().setBody(client.transaction(
                        header(e, "transaction", SUBMITTER_ID), header(e, "transaction", PRIMARY_REFERENCE),
                        Boolean.TRUE.equals(e.getMessage().getHeader(INCLUDE_HISTORY, false, Boolean.class)))));

        // §8 Remote Folder
        from("direct:certna-list-repositories").routeId("certna-list-repositories").routeConfigurationId(policy)
                .process(e -> e.getMessage().setBody(client.listRepositories().stream()
                        .map(r -> Map.<String, Object>of("RepositoryName", r.name(), "Count", r.count())).toList()));
        from("direct:certna-list-payloads").routeId("certna-list-payloads").routeConfigurationId(policy)
                .process(this::listPayloads);
        from("direct:certna-send-payload").routeId("certna-send-payload").routeConfigurationId(policy)
                .process(e -> {
                    String tmp = client.sendPayload(repository(e, outbound), header(e, "sendPayload", PAYLOAD_NAME),
                            e.getMessage().getBody(byte[].class));
                    e.getMessage().setHeader(TMP_NAME, tmp);
                    e.getMessage().setBody(tmp);
                });
        from("direct:certna-finalize-payload").routeId("certna-finalize-payload").routeConfigurationId(policy)
                .process(e -> e.getMessage().setBody(client.finalizePayload(repository(e, outbound),
                        e.getMessage().getHeader(TMP_NAME) != null ? header(e, "finalizePayload", TMP_NAME)
                                : header(e, "finalizePayload", PAYLOAD_NAME))));
        from("direct:certna-lock-payload").routeId("certna-lock-payload").routeConfigurationId(policy)
                .process(e -> client.lockPayload(repository(e, inbound), header(e, "lockPayload", PAYLOAD_NAME)));
        from("direct:certna-unlock-payload").routeId("certna-unlock-payload").routeConfigurationId(policy)
                .process(e -> client.unlockPayload(repository(e, inbound), header(e, "unlockPayload", PAYLOAD_NAME)));
        from("direct:certna-retrieve-payload").routeId("certna-retrieve-payload").routeConfigurationId(policy)
                .process(e -> {
                    String repo = repository(e, inbound);
                    String name = header(e, "retrievePayload", PAYLOAD_NAME);
                    e.getMessage().setBody(new String(client.retrievePayload(repo, name), StandardCharsets.UTF_8));
                    // The idempotency key consumers see: the same document published twice carries the same key.
                    e.getMessage().setHeader(OutcomeLedger.KEY, "certna:" + repo + "/" + name);
                });
        from("direct:certna-delete-payload").routeId("certna-delete-payload").routeConfigurationId(policy)
                .process(e -> client.deletePayload(repository(e, inbound), header(e, "deletePayload", PAYLOAD_NAME)));

        // Submit workflow steps (routes/certna.camel.yaml)
        // These two are called from a transacted queue consumer whose route configuration (inbound-queue) must see
        // their failures: a sub-route with an error handler of its own would mark the failure as handled-and-exhausted
        // and the caller's dead-letter clause would never run. So no error handler here, and transient failures are
        // retried in place with the same back-off settings (vendorlink.certna.retry.transient.*).
        from("direct:certna-submission-key").routeId("certna-submission-key").errorHandler(noErrorHandler())
                .process(this::submissionKey);
        from("direct:certna-submit-document").routeId("certna-submit-document").errorHandler(noErrorHandler())
                .process(e -> {
                    Message m = e.getMessage();
                    String key = header(e, "submit", OutcomeLedger.KEY);
                    String repo = repository(e, outbound);
                    String name = header(e, "submit", PAYLOAD_NAME);
                    String xml = required(e, "submit", "body (the PRIA XML)", strictUtf8(m));
                    CertnaSubmissions.Submission s = retryingTransient("submit", () -> submissions.submit(key, repo, name, xml));
                    m.setHeader(TMP_NAME, s.tmpName());
                    m.setBody(JSON.writeValueAsString(s.outcome()));
                });

        // Optional watched folder feeding the submissions queue.
        settings.optional("submit.folder").ifPresent(dir ->
                from("file:" + dir + "?include=.*\\.xml&move=.submitted&moveFailed=.failed&readLock=changed")
                        .routeId("certna-submit-folder")
                        .setHeader(PAYLOAD_NAME, simple("${file:name}"))
                        .convertBodyTo(String.class)
                        .to("jms:queue:" + settings.string("queue.submissions") + "?jmsMessageType=Text"));
    }

    /** Bounded in-place retry of transient failures, with the vendor's back-off (the one formula, {@link Backoff}). */
    private <T> T retryingTransient(String operation, java.util.function.Supplier<T> call) throws InterruptedException {
        for (int attempt = 0; ; attempt++) {
            try {
                return call.get();
            } catch (TransientException | RateLimitedException ex) {
                if (attempt >= transientRetries) {
                    throw ex;
                }
                java.time.Duration delay = ex instanceof RateLimitedException rl
                        ? backoff.delay(attempt, rl.retryAfter().orElse(null)) : backoff.delay(attempt);
                LOG.info("vendor=certna {} {}: retry {} of {} in {} ms", operation, ex.outcome().label(), attempt + 1,
                        transientRetries, delay.toMillis());
                metrics.retry("certna", ex.outcome());
                Thread.sleep(delay.toMillis());
            }
        }
    }

    private void validateChecksum(Exchange e) {
        Message m = e.getMessage();
        String checksum = m.getHeader(CHECKSUM, String.class);
        if (checksum == null) {
            checksum = CertnaChecksum.of(required(e, "validateChecksum", "body (the Base64 document text) or header "
                    + CHECKSUM, m.getBody(String.class)));
        }
        boolean valid;
        if (settings.string("validate.variant").equals("legacy2018")) {
            valid = client.validateChecksumLegacy(m.getHeader(TRANSACTION_TYPE, "Request", String.class),
                    header(e, "validateChecksum", SUBMITTER_ID), header(e, "validateChecksum", PRIMARY_REFERENCE),
                    m.getHeader(DOCUMENT_ORDER_INDEX, 1, Integer.class), checksum);
        } else if (settings.string("validate.variant").equals("current")) {
            valid = client.validateChecksum(header(e, "validateChecksum", CHECKSUM_KEY), checksum);
        } else {
            throw new IllegalStateException("vendorlink.certna.validate.variant = '" + settings.string("validate.variant")
                    + "' is not current or legacy2018");
        }
        if (!valid) {
            // §12.7: a business result, not an exception; the computed checksum helps whoever investigates.
            LOG.warn("vendor=certna checksum not valid: key={} computed={}", m.getHeader(CHECKSUM_KEY), checksum);
        }
        m.setHeader(CHECKSUM, checksum);
        m.setHeader(CHECKSUM_VALID, valid);
        m.setBody(valid);
    }

    private void listPayloads(Exchange e) {
        Message m = e.getMessage();
        String repo = repository(e, inbound);
        if (repositoriesChecked.compareAndSet(false, true)) {
            try {
                client.checkRepositories(Map.of("outbound", outbound, "inbound", inbound));
            } catch (RuntimeException ex) {
                repositoriesChecked.set(false);
                throw ex;
            }
        }
        String filter = m.getHeader(FILTER, settings.string("collect.filter", ""), String.class);
        List<String> names = client.listPayloads(repo, filter, m.getHeader(PAGE, 1, Integer.class),
                m.getHeader(PAGE_SIZE, settings.integer("collect.pageSize"), Integer.class),
                m.getHeader(ORDER, settings.string("collect.order", ""), String.class));
        m.setHeader(REPOSITORY, repo);
        m.setBody(names);
    }

    /** The idempotency key of a submission: {@value #SUBMISSION_ID} if given, else the SHA-256 of the document. */
    private void submissionKey(Exchange e) throws Exception {
        Message m = e.getMessage();
        String id = m.getHeader(SUBMISSION_ID, String.class);
        if (id == null || id.isBlank()) {
            byte[] body = required(e, "submit", "body (the PRIA XML)", strictUtf8(m)).getBytes(StandardCharsets.UTF_8);
            id = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        }
        m.setHeader(OutcomeLedger.KEY, id);
    }

    private static String repository(Exchange e, String fallback) {
        String r = e.getMessage().getHeader(REPOSITORY, String.class);
        return r == null || r.isBlank() ? fallback : r;
    }

    private static String header(Exchange e, String operation, String name) {
        return Settings.requireField("certna", operation, name, e.getMessage().getHeader(name));
    }

    /**
     * The submission as text, refusing bytes that are not UTF-8: a lenient conversion would turn them into U+FFFD and
     * submit a silently corrupted legal document.
     */
    private static String strictUtf8(Message m) {
        Object body = m.getBody();
        if (body == null || body instanceof String) {
            return (String) body;
        }
        byte[] bytes = m.getBody(byte[].class);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException notUtf8) {
            throw new InvalidInputException("certna", "submit", "the submission is not valid UTF-8 ("
                    + notUtf8.getClass().getSimpleName() + ")");
        }
    }

    private static String required(Exchange e, String operation, String what, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidInputException("certna", operation, "missing " + what);
        }
        return value;
    }
}
