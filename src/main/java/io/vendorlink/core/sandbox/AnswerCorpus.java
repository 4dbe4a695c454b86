package io.vendorlink.core.sandbox;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The malformed-answer corpus every sandbox can send instead of its real answer (issue 9, fault suite): the fault
 * switch {@code answer.corpus=<entry>} replaces the status, headers and body of every answer ({@code <entry>:<n>}: of
 * the next n answers), optionally only for requests whose raw path contains {@code answer.corpus.path}. The simulator
 * still does the work of the call (a seat is consumed, a registration made): only the answer is spoilt, as when a
 * proxy or a vendor bug garbles it.
 * <pre>
 * truncated-xml    200 application/xml   an XML answer cut in the middle of an element
 * truncated-json   200 application/json  a JSON answer cut inside an array
 * truncated-soap   200 text/xml          a SOAP 1.1 envelope cut inside the body
 * wrong-types-json 200 application/json  an object where a string is, a string where a number is, an object where an array is
 * missing-xml      200 application/xml   a well-formed answer whose root has none of the expected elements
 * missing-json     200 application/json  {} : every required field missing
 * empty            200 (no body)
 * html             200 text/html         a login page from a proxy instead of the API answer
 * invalid-utf8     200 application/xml   bytes that are not UTF-8 inside an element
 * invalid-utf8-json 200 application/json bytes that are not UTF-8 inside a string
 * xxe              200 application/xml   a DOCTYPE with an external entity pointing at {@code answer.corpus.entityUrl}
 * billion-laughs   200 application/xml   nested internal entities (entity expansion)
 * huge             200                   {@code answer.corpus.hugeBytes} (default 20 MiB) of an unterminated document
 * gzip-lie         200 text/xml          Content-Encoding: gzip on a body that is not gzip
 * custom           {@code answer.corpus.status} (200), {@code answer.corpus.contentType} (application/json),
 *                  {@code answer.corpus.body}: for vendor-specific wrong types
 * </pre>
 * {@code answer.corpus.contentType} overrides the content type of any entry.
 */
public final class AnswerCorpus {
    public static final String SWITCH = "answer.corpus";
    public static final String PATH = "answer.corpus.path";
    /** Default target of the {@code xxe} entry: a file that does not exist, so a resolving parser fails visibly. */
    public static final String DEFAULT_ENTITY_URL = "file:///vendorlink-xxe-marker-must-never-be-read";
    private static final long DEFAULT_HUGE = 20L * 1024 * 1024;

    /** One replacement answer; {@code hugeBytes > 0} streams that many bytes after {@code body} instead of a fixed body. */
    public record Answer(String entry, int status, String contentType, Map<String, String> headers, byte[] body,
                         long hugeBytes) {
        /** Writes the body (streamed for {@code huge}, so the sandbox never holds 20 MiB). */
        public void writeBody(OutputStream out) throws IOException {
            out.write(body);
            byte[] chunk = new byte[64 * 1024];
            Arrays.fill(chunk, (byte) 'a');
            for (long left = hugeBytes; left > 0; left -= chunk.length) {
                out.write(chunk, 0, (int) Math.min(chunk.length, left));
            }
        }

        public long length() {
            return body.length + hugeBytes;
        }
    }

    public static final List<String> ENTRIES = List.of("truncated-xml", "truncated-json", "truncated-soap",
            "wrong-types-json", "missing-xml", "missing-json", "empty", "html", "invalid-utf8", "invalid-utf8-json",
            "xxe", "billion-laughs", "huge", "gzip-lie", "custom");

    private AnswerCorpus() {
    }

    /**
     * The replacement for this request's answer when {@code answer.corpus} is on and {@code answer.corpus.path} (if
     * set) occurs in the raw path; consumes one count of a counted switch.
     */
    public static Optional<Answer> take(FaultSwitches faults, String rawPath) {
        if (!faults.isOn(SWITCH)) {
            return Optional.empty();
        }
        String path = faults.value(PATH, null);
        if (path != null && (rawPath == null || !rawPath.contains(path))) {
            return Optional.empty();
        }
        String value = faults.value(SWITCH, "");
        if (!faults.fire(SWITCH)) {
            return Optional.empty();
        }
        String entry = value.matches(".*:\\d{1,9}") ? value.substring(0, value.lastIndexOf(':')) : value;
        Answer a = answer(entry, faults);
        String type = faults.value(SWITCH + ".contentType", null);
        return Optional.of(type == null || entry.equals("custom") ? a
                : new Answer(a.entry(), a.status(), type, a.headers(), a.body(), a.hugeBytes()));
    }

    static Answer answer(String entry, FaultSwitches f) {
        String xml = "application/xml; charset=utf-8";
        String json = "application/json";
        return switch (entry) {
            case "truncated-xml" -> fixed(entry, xml, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><answer><id>12");
            case "truncated-json" -> fixed(entry, json, "{\"status\":\"ok\",\"items\":[{\"id\":1,\"name\":\"fir");
            case "truncated-soap" -> fixed(entry, "text/xml; charset=utf-8", "<soap:Envelope xmlns:soap="
                    + "\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body>");
            case "wrong-types-json" -> fixed(entry, json, "{\"id\":{\"nested\":true},\"status\":{\"value\":1},"
                    + "\"returnCode\":\"not-a-number\",\"result\":{\"a\":1},\"items\":{\"a\":1},"
                    + "\"token\":[],\"data\":\"not-an-object\",\"access_token\":[],\"expires_in\":\"soon\"}");
            case "missing-xml" -> fixed(entry, xml, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><answer/>");
            case "missing-json" -> fixed(entry, json, "{}");
            case "empty" -> new Answer(entry, 200, json, Map.of(), new byte[0], 0);
            case "html" -> fixed(entry, "text/html; charset=utf-8", "<!DOCTYPE html><html><head><title>Sign in"
                    + "</title></head><body><form action=\"/login\">Proxy login</form></body></html>");
            case "invalid-utf8" -> new Answer(entry, 200, xml, Map.of(), concat(
                    bytes("<?xml version=\"1.0\" encoding=\"UTF-8\"?><answer><id>"),
                    new byte[]{(byte) 0xC3, (byte) 0x28, (byte) 0xFF}, bytes("</id></answer>")), 0);
            case "invalid-utf8-json" -> new Answer(entry, 200, json, Map.of(), concat(bytes("{\"id\":\""),
                    new byte[]{(byte) 0xC3, (byte) 0x28, (byte) 0xFF}, bytes("\"}")), 0);
            case "xxe" -> fixed(entry, xml, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><!DOCTYPE answer [<!ENTITY x "
                    + "SYSTEM \"" + f.value(SWITCH + ".entityUrl", DEFAULT_ENTITY_URL) + "\">]><answer><id>&x;</id></answer>");
            case "billion-laughs" -> fixed(entry, xml, "<?xml version=\"1.0\"?><!DOCTYPE answer [<!ENTITY a \"aaaaaaaaaa\">"
                    + "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">"
                    + "<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\"><!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">"
                    + "<!ENTITY g \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\">]><answer><id>&g;&g;&g;&g;&g;&g;</id></answer>");
            case "huge" -> new Answer(entry, 200, xml, Map.of(), bytes("<answer><id>"),
                    Long.parseLong(f.value(SWITCH + ".hugeBytes", Long.toString(DEFAULT_HUGE))));
            case "gzip-lie" -> new Answer(entry, 200, "text/xml; charset=utf-8", Map.of("Content-Encoding", "gzip"),
                    bytes("<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body/>"
                            + "</soap:Envelope>"), 0);
            case "custom" -> new Answer(entry, Integer.parseInt(f.value(SWITCH + ".status", "200")),
                    f.value(SWITCH + ".contentType", json), Map.of(), bytes(f.value(SWITCH + ".body", "")), 0);
            default -> fixed("unknown entry " + entry, "text/plain", "answer.corpus: unknown entry '" + entry
                    + "'; known: " + ENTRIES);
        };
    }

    /**
     * Malformed NDJSON lines for a stream (each ends with a newline): cut JSON, wrong types, invalid UTF-8, HTML, not an
     * object, and one line of {@code hugeBytes} without an end until its newline.
     */
    public static void writeNdjsonLines(OutputStream out, long hugeBytes) throws IOException {
        out.write(bytes("{\"recordUid\":\"cut-1\",\"recordTimestamp\":17\n"));
        out.write(bytes("{\"recordUid\":{\"x\":1},\"recordTimestamp\":\"yesterday\",\"eventType\":[]}\n"));
        out.write(concat(bytes("{\"recordUid\":\""), new byte[]{(byte) 0xC3, (byte) 0x28, (byte) 0xFF}, bytes("\"}\n")));
        out.write(bytes("<html><body>502 Bad Gateway</body></html>\n"));
        out.write(bytes("[1,2,3]\n"));
        out.write(bytes("{}\n"));
        out.write(bytes("{\"recordUid\":\""));
        new Answer("huge", 200, null, Map.of(), new byte[0], hugeBytes).writeBody(out);
        out.write(bytes("\"}\n"));
    }

    /** How many lines {@link #writeNdjsonLines} writes. */
    public static final int NDJSON_LINES = 7;

    private static Answer fixed(String entry, String type, String body) {
        return new Answer(entry, 200, type, new LinkedHashMap<>(), bytes(body), 0);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The parts one after the other (the corpora build bodies from valid and invalid byte runs). */
    public static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int i = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, i, p.length);
            i += p.length;
        }
        return out;
    }
}
