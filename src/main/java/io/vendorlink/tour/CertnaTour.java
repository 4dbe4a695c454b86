package io.vendorlink.tour;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vendorlink.sandbox.certna.CertnaSandbox;
import org.apache.camel.CamelContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.vendorlink.tour.SecutixTour.require;

/**
 * CeRTNA (routes/certna.camel.yaml): Submit from the queue, Submit from the watched folder, the scheduled Collect; plus
 * an access_token the sandbox forgets (expired token) recovered by one re-login and one replay.
 */
public final class CertnaTour implements TourSteps {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path folder;

    public CertnaTour() {
        try {
            folder = Files.createTempDirectory("vendorlink-tour-certna-");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void cleanUp() {
        io.vendorlink.core.FileTrees.delete(folder);
    }

    @Override
    public Map<String, String> properties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("vendorlink.certna.submit.folder", folder.toString());
        // Collect polls every 2 s instead of every 30 s
        p.put("vendorlink.certna.collect.cron", "0/2+*+*+*+*+?");
        return p;
    }

    static String pria(String reference) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><REQUEST_GROUP PRIAVersionIdentifier=\"2.4.2\"><PACKAGE>"
                + "<PRIA_DOCUMENT _Code=\"DEED\" _UniqueIdentifier=\"" + reference + "-1\"><EMBEDDED_FILE>"
                + "<DOCUMENT>SGVsbG8gV29ybGQ=</DOCUMENT></EMBEDDED_FILE></PRIA_DOCUMENT></PACKAGE></REQUEST_GROUP>";
    }

    @Override
    public List<TourStep> steps() {
        return List.of(
                new TourStep("certna", "submit queue -> outcome", null, ctx -> submit(ctx, "tour-deed-1")),
                new TourStep("certna", "submit from watched folder", null, ctx -> {
                    Files.writeString(folder.resolve("tour-folder-1.xml.part"), pria("tour-folder-1"));
                    Files.move(folder.resolve("tour-folder-1.xml.part"), folder.resolve("tour-folder-1.xml"));
                    Path landed = sandbox(ctx).repository("Send").resolve("tour-folder-1.xml");
                    Path done = folder.resolve(".submitted/tour-folder-1.xml");
                    long deadline = System.nanoTime() + 30_000_000_000L;
                    for (int i = 0; i < 300 && !(Files.exists(landed) && Files.exists(done)); i++) {
                        require(System.nanoTime() < deadline, "the folder document was not submitted within 30 s");
                        Thread.sleep(100);
                    }
                    require(Files.exists(landed) && Files.exists(done), "the folder document was not submitted");
                    return "finalized as Send/tour-folder-1.xml, file moved to .submitted/";
                }),
                new TourStep("certna", "collect (scheduled) -> inbound queue", null, ctx -> {
                    Path inbound = sandbox(ctx).repository("Retrieve");
                    Files.writeString(inbound.resolve("tour-resp-1.xml"), "<RESPONSE_GROUP>tour</RESPONSE_GROUP>");
                    var e = TourMessages.receive(ctx, ctx.resolvePropertyPlaceholders("{{vendorlink.certna.queue.inbound}}"),
                            30_000, x -> "certna:Retrieve/tour-resp-1.xml".equals(x.getMessage().getHeader("VendorlinkMessageKey")));
                    require(TourMessages.body(e).contains("tour"), "collected body " + TourMessages.body(e));
                    long deadline = System.nanoTime() + 10_000_000_000L;
                    for (int i = 0; i < 100 && Files.exists(inbound.resolve("tour-resp-1.xml")); i++) {
                        require(System.nanoTime() < deadline, "collected document not deleted within 10 s");
                        Thread.sleep(100);
                    }
                    require(!Files.exists(inbound.resolve("tour-resp-1.xml")), "collected document not deleted");
                    return "published with key certna:Retrieve/tour-resp-1.xml, deleted at CeRTNA";
                }),
                new TourStep("certna", "submit queue -> outcome", "expired token", ctx -> {
                    int logins = sandbox(ctx).logins();
                    sandbox(ctx).server().faults().set("token.expire", "1");
                    String out = submit(ctx, "tour-deed-2");
                    int relogins = sandbox(ctx).logins() - logins;
                    require(relogins == 1, "expected exactly one re-login, saw " + relogins);
                    return out + " after 1 re-login";
                }));
    }

    private static String submit(CamelContext ctx, String id) throws Exception {
        ctx.createProducerTemplate().sendBodyAndHeaders(
                ctx.resolvePropertyPlaceholders("jms:queue:{{vendorlink.certna.queue.submissions}}?jmsMessageType=Text"),
                pria(id), Map.of("CertnaPayloadName", id + ".xml", "CertnaSubmissionId", id));
        var e = TourMessages.receive(ctx, ctx.resolvePropertyPlaceholders("{{vendorlink.certna.queue.outcomes}}"), 30_000,
                x -> {
                    try {
                        return id.equals(JSON.readTree(TourMessages.body(x)).path("key").asText());
                    } catch (Exception ex) {
                        return false;
                    }
                });
        JsonNode out = JSON.readTree(TourMessages.body(e));
        require((id + ".xml").equals(out.path("finalName").asText()), "outcome " + out);
        require(Files.exists(sandbox(ctx).repository("Send").resolve(id + ".xml")), "not finalized at CeRTNA");
        return "finalized as Send/" + out.path("finalName").asText() + ", " + out.path("checksumKeys").size() + " checksum(s)";
    }

    private static CertnaSandbox sandbox(CamelContext ctx) {
        return ctx.getRegistry().lookupByNameAndType("certnaSandbox", CertnaSandbox.class);
    }
}
