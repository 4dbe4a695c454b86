package io.vendorlink.secutix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vendorlink.testing.Sandboxes;
import io.vendorlink.testing.TestRuntime;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The YAML workflows of routes/secutix.camel.yaml on their schedules, and the sandbox's wire behaviour. */
class SecutixWorkflowTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void scheduledCatalogSyncAndAccessControlExportPublishToTheirQueues() throws Exception {
        try (TestRuntime rt = TestRuntime.builder().enable("secutix")
                .property("vendorlink.secutix.catalogSync.cron", "0/2 * * * * ?")
                .property("vendorlink.secutix.accessControl.cron", "0/2 * * * * ?")
                .property("vendorlink.secutix.accessControl.nbMaxResults", "10")
                .property("vendorlink.secutix.async.pollInterval", "PT0.3S")
                .property("vendorlink.secutix.async.scanInterval", "200")
                .property("vendorlink.secutix.alive.services", "").start()) {
            String catalog = rt.consumer().receiveBody("jms:queue:vendorlink.secutix.catalog", 60_000, String.class);
            assertThat(catalog).isNotNull();
            JsonNode c = JSON.readTree(catalog);
            assertThat(c.path("statusCode").asText()).isEqualTo("success");
            assertThat(c.path("catalogData").path("seasons").get(0).path("id").asLong()).isEqualTo(9_000_000_000_001L);
            String page = rt.consumer().receiveBody("jms:queue:vendorlink.secutix.access-control", 60_000, String.class);
            assertThat(page).isNotNull();
            assertThat(JSON.readTree(page).path("accessControlListData").path("accessControlListItems").size()).isGreaterThan(0);
        }
    }

    @Test
    void sandboxAcceptsTheSeedsBareUsernameTokenAndGzipsWhenAsked() throws Exception {
        try (TestRuntime rt = TestRuntime.builder().enable("secutix").property("vendorlink.secutix.alive.services", "").start()) {
            int port = Integer.parseInt(rt.property("vendorlink.sandbox.secutix.port"));
            // The seed's example header, verbatim in shape: no Type on Password, no wsu:Id, no mustUnderstand.
            String envelope = """
                    <S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"
                      xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd">
                      <S:Header><wsse:Security><wsse:UsernameToken>
                        <wsse:Username>SANDBOX_B2C</wsse:Username><wsse:Password>sandbox-secret-not-for-production</wsse:Password>
                      </wsse:UsernameToken></wsse:Security></S:Header>
                      <S:Body><v1:isCatalogServiceAlive xmlns:v1="http://v1_33.CatalogService.service.secutix.com/"/></S:Body>
                    </S:Envelope>""";
            HttpResponse<byte[]> r = Sandboxes.client(rt).send(HttpRequest.newBuilder(URI.create("https://localhost:" + port
                            + "/tnseb/external-remoting/com.secutix.service.realtime.catalog.v1_33.CatalogService.webservice"))
                    .header("Content-Type", "text/xml; charset=utf-8").header("SOAPAction", "\"\"")
                    .header("Accept-Encoding", "gzip,deflate")
                    .POST(HttpRequest.BodyPublishers.ofString(envelope)).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Encoding")).contains("gzip");
            String body = new String(new GZIPInputStream(new ByteArrayInputStream(r.body())).readAllBytes(), StandardCharsets.UTF_8);
            assertThat(body).contains("<statusCode>success</statusCode>");
            // a retired version's path answers 404 (§11.9)
            HttpResponse<String> eol = Sandboxes.client(rt).send(HttpRequest.newBuilder(URI.create("https://localhost:" + port
                            + "/tnseb/external-remoting/com.secutix.service.realtime.catalog.v1_16.CatalogService.webservice"))
                    .header("Content-Type", "text/xml; charset=utf-8")
                    .POST(HttpRequest.BodyPublishers.ofString(envelope)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(eol.statusCode()).isEqualTo(404);
        }
    }
}
