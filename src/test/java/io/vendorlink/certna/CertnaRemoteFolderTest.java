package io.vendorlink.certna;

import io.vendorlink.core.failure.RejectedException;
import io.vendorlink.core.sandbox.RecordedRequest;
import io.vendorlink.testing.Sandboxes;
import io.vendorlink.testing.TestRuntime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Checksums, transaction and the Remote Folder against the sandbox (§5-§8, §12.5-12.10). */
class CertnaRemoteFolderTest {
    private static final String DOC = "<RESPONSE_GROUP><PRIA_DOCUMENT/></RESPONSE_GROUP>";
    private static TestRuntime rt;

    @BeforeAll
    static void boot() {
        rt = CertnaRuntimes.start();
    }

    @AfterAll
    static void stop() {
        rt.close();
    }

    @BeforeEach
    void clean() throws Exception {
        CertnaRuntimes.server(rt).faults().clearAll();
        CertnaRuntimes.server(rt).clearRequests();
        for (String repo : List.of("Send", "Retrieve")) {
            Path dir = CertnaRuntimes.sandbox(rt).repository(repo);
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private static Path inbound(String name) throws Exception {
        Path p = CertnaRuntimes.sandbox(rt).repository("Retrieve").resolve(name);
        Files.writeString(p, DOC);
        return p;
    }

    private static Object call(String uri, Object body, Map<String, Object> headers) {
        return rt.producer().requestBodyAndHeaders(uri, body, headers);
    }

    @Test
    void retrieveAndDeleteWithoutALockAreHandledByLockingFirst() throws Exception {
        Path file = inbound("standard_testagent1-202007140415-00025.1.1_200723151419729.xml");
        String name = file.getFileName().toString();
        Object xml = call("direct:certna-retrieve-payload", null, Map.of(CertnaRoutes.PAYLOAD_NAME, name));
        assertThat(xml).isEqualTo(DOC);
        List<RecordedRequest> seen = CertnaRuntimes.server(rt).requests(r -> r.rawPath().contains("/payloads/"));
        assertThat(seen).extracting(RecordedRequest::method, RecordedRequest::status, RecordedRequest::verdict)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("GET", 500, "payload not locked"),
                        org.assertj.core.groups.Tuple.tuple("POST", 200, "locked Retrieve/" + name),
                        org.assertj.core.groups.Tuple.tuple("GET", 200, "retrieved locked payload Retrieve/" + name));

        // delete: unlock first so the delete meets PayloadFileLockError, then it locks and deletes
        call("direct:certna-unlock-payload", null, Map.of(CertnaRoutes.PAYLOAD_NAME, name));
        CertnaRuntimes.server(rt).clearRequests();
        call("direct:certna-delete-payload", null, Map.of(CertnaRoutes.PAYLOAD_NAME, name));
        assertThat(CertnaRuntimes.server(rt).requests()).extracting(RecordedRequest::method, RecordedRequest::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("DELETE", 500),
                        org.assertj.core.groups.Tuple.tuple("POST", 200), org.assertj.core.groups.Tuple.tuple("DELETE", 200));
        assertThat(file).doesNotExist();
    }

    @Test
    void aLockErrorThatPersistsIsReportedNotLooped() throws Exception {
        String name = inbound("a.xml").getFileName().toString();
        Sandboxes.fault(rt, "certna", "payloads.lockError", "true");
        assertThatThrownBy(() -> call("direct:certna-retrieve-payload", null, Map.of(CertnaRoutes.PAYLOAD_NAME, name)))
                .cause().isInstanceOf(RejectedException.class)
                .satisfies(e -> assertThat(((RejectedException) e).vendorCode()).isEqualTo("PayloadFileLockError"));
        assertThat(CertnaRuntimes.requests(rt, "POST", "/lock")).hasSize(1);
        assertThat(CertnaRuntimes.requests(rt, "GET", "/payloads/Retrieve/")).hasSize(1);
    }

    @Test
    void sendLandsAsTmpAndFinalizeMakesItXml() {
        Object tmp = call("direct:certna-send-payload", DOC, Map.of(CertnaRoutes.PAYLOAD_NAME, "order-1.xml"));
        assertThat(tmp).isEqualTo("order-1.tmp");
        assertThat(CertnaRuntimes.sandbox(rt).repository("Send").resolve("order-1.tmp")).exists();
        Object fin = call("direct:certna-finalize-payload", null, Map.of(CertnaRoutes.TMP_NAME, "order-1.tmp"));
        assertThat(fin).isEqualTo("order-1.xml");
        assertThat(CertnaRuntimes.sandbox(rt).repository("Send").resolve("order-1.xml")).exists();
        assertThat(CertnaRuntimes.requests(rt, "POST", "/payloads/Send/order-1.tmp/finalize")).hasSize(1);
    }

    @Test
    @SuppressWarnings("unchecked")
    void listingAppliesTheFilterGrammarAndPaging() throws Exception {
        for (String n : List.of("a1.xml", "a2.xml", "a3.xml", "b1.xml", "c1.tmp")) {
            inbound(n);
        }
        call("direct:certna-lock-payload", null, Map.of(CertnaRoutes.PAYLOAD_NAME, "a2.xml"));
        assertThat(call("direct:certna-list-payloads", null, Map.of(CertnaRoutes.FILTER, "file_name:StartsWith:a;file_name:EndsWith:.xml")))
                .isEqualTo(List.of("a1.xml", "a2.xml", "a3.xml"));
        assertThat(call("direct:certna-list-payloads", null, Map.of(CertnaRoutes.FILTER, "lock_status:Equal:Locked")))
                .isEqualTo(List.of("a2.xml"));
        assertThat(call("direct:certna-list-payloads", null, Map.of(CertnaRoutes.FILTER, "lock_status:Equal:All",
                CertnaRoutes.PAGE_SIZE, 2, CertnaRoutes.PAGE, 2))).isEqualTo(List.of("a3.xml", "b1.xml"));
        String today = java.time.LocalDate.now(java.time.ZoneId.of("America/Los_Angeles"))
                .format(java.time.format.DateTimeFormatter.ofPattern("MM-dd-yyyy"));
        assertThat((List<Object>) call("direct:certna-list-payloads", null, Map.of(CertnaRoutes.FILTER,
                "date_created:GreaterEqual:" + today + ";file_name:Contains:1"))).containsExactly("a1.xml", "b1.xml", "c1.tmp");
        // the filter travels percent-encoded in the query (§8)
        assertThat(CertnaRuntimes.requests(rt, "GET", "/payloads/Retrieve").get(0).rawQuery())
                .contains("filter=file_name%3AStartsWith%3Aa%3Bfile_name%3AEndsWith%3A.xml");
        assertThatThrownBy(() -> call("direct:certna-list-payloads", null, Map.of(CertnaRoutes.FILTER, "date_created:Equal:2020-07-23")))
                .cause().isInstanceOf(io.vendorlink.core.failure.InvalidInputException.class).hasMessageContaining("MM-dd-yyyy");
    }

    @Test
    void checksumsAreStoredAndValidatedAndAMalformedGuidIsSurfaced() {
        String documentText = "SGVsbG8gV29ybGQ=";
        Object key = call("direct:certna-store-checksum", documentText, Map.of());
        assertThat((String) key).matches("[0-9a-f-]{36}");
        RecordedRequest stored = CertnaRuntimes.requests(rt, "POST", "/storechecksum").get(0);
        assertThat(stored.bodyText()).contains("ULC/PRLgWqQfiOgAVh8KaqT5luqE04bnOlMh0tluG1mLrhqKVqnfcR5yP9hpaxrl");
        assertThat(stored.header("access_token")).isNotBlank();
        assertThat(call("direct:certna-validate-checksum", documentText, Map.of(CertnaRoutes.CHECKSUM_KEY, key))).isEqualTo(true);
        assertThat(call("direct:certna-validate-checksum", "SGVsbG8gV29ybGQh", Map.of(CertnaRoutes.CHECKSUM_KEY, key)))
                .as("is_valid false is a business result, not an exception (§12.7)").isEqualTo(false);

        Sandboxes.fault(rt, "certna", "checksum.malformedGuid", "1");
        Object bad = call("direct:certna-store-checksum", documentText, Map.of());
        CertnaRuntimes.server(rt).clearRequests();
        assertThatThrownBy(() -> call("direct:certna-validate-checksum", documentText, Map.of(CertnaRoutes.CHECKSUM_KEY, bad)))
                .cause().isInstanceOf(RejectedException.class).hasMessageContaining("uniqueidentifier");
        assertThat(CertnaRuntimes.requests(rt, "POST", "/validatechecksum")).as("not retried (§12.8)").hasSize(1);
    }

    @Test
    void legacyValidateChecksumFormIsAvailable() {
        try (TestRuntime legacy = CertnaRuntimes.start("vendorlink.certna.validate.variant", "legacy2018")) {
            legacy.producer().requestBody("direct:certna-store-checksum", "SGVsbG8gV29ybGQ=");
            Object valid = legacy.producer().requestBodyAndHeaders("direct:certna-validate-checksum", "SGVsbG8gV29ybGQ=",
                    Map.of(CertnaRoutes.SUBMITTER_ID, "testagent1", CertnaRoutes.PRIMARY_REFERENCE, "00025"));
            assertThat(valid).isEqualTo(true);
            RecordedRequest r = CertnaRuntimes.requests(legacy, "POST", "/ValidateBase64DocumentChecksum").get(0);
            assertThat(r.bodyText()).contains("\"checksum_algorithm\":\"SHA384\"", "\"transaction_type\":\"Request\"");
        }
    }

    @Test
    void transactionMapsKnownFieldsKeepsTheRestAndReadsZonelessTimes() {
        @SuppressWarnings("unchecked")
        Map<String, Object> t = (Map<String, Object>) call("direct:certna-transaction", null, Map.of(
                CertnaRoutes.SUBMITTER_ID, "testagent1", CertnaRoutes.PRIMARY_REFERENCE, "00025", CertnaRoutes.INCLUDE_HISTORY, true));
        assertThat(t).containsKeys("TRANSACTION_ID", "TRANSACTION_STATUS_ID", "HISTORY", "SANDBOX_EXTRA_FIELD");
        assertThat((String) t.get("CREATED_INSTANT")).endsWith("Z");
        assertThat(CertnaRuntimes.client(rt).instant("2020-07-23T14:23:56")).isEqualTo("2020-07-23T21:23:56Z");
        assertThat(CertnaRuntimes.requests(rt, "GET", "/transaction").get(0).rawQuery())
                .isEqualTo("submitter_id=testagent1&primary_reference=00025&include_history=true");
    }

    @Test
    void anHtml500OnAReadIsRetriedWithBackoff() throws Exception {
        inbound("x.xml");
        call("direct:certna-list-payloads", null, Map.of()); // logged in, repositories checked
        CertnaRuntimes.server(rt).clearRequests();
        Sandboxes.fault(rt, "certna", "http.html500", "2");
        assertThat(call("direct:certna-list-payloads", null, Map.of())).isEqualTo(List.of("x.xml"));
        assertThat(CertnaRuntimes.requests(rt, "GET", "/payloads/Retrieve")).extracting(RecordedRequest::status)
                .containsExactly(500, 500, 200);
    }

    @Test
    void repositoryNamesThatDoNotMatchCeRTNAAreAClearConfigurationError() {
        try (TestRuntime other = CertnaRuntimes.start("vendorlink.sandbox.certna.repositories", "Requests,Responses,Processed,Invalid")) {
            assertThatThrownBy(() -> other.producer().requestBody("direct:certna-list-payloads", (Object) null))
                    .cause().isInstanceOf(RejectedException.class)
                    .hasMessageContaining("vendorlink.certna.repository.")
                    .hasMessageContaining("[Requests, Responses, Processed, Invalid]");
        }
        try (TestRuntime other = CertnaRuntimes.start("vendorlink.sandbox.certna.repositories", "Requests,Responses,Processed,Invalid",
                "vendorlink.certna.repository.outbound", "Requests", "vendorlink.certna.repository.inbound", "Responses")) {
            assertThat(other.producer().requestBody("direct:certna-list-payloads", (Object) null)).isEqualTo(List.of());
        }
    }
}
