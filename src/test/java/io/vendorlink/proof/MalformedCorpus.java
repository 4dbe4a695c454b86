package io.vendorlink.proof;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A generated corpus of inputs that cannot be valid requests, for every inbound queue and every vendor answer:
 * truncated documents, wrong types, empty and huge bodies, invalid UTF-8, XXE. Each entry says what it is, so a failing
 * assertion names the input that broke the runtime.
 */
public final class MalformedCorpus {
    public record Entry(String name, byte[] body) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private MalformedCorpus() {
    }

    /** Malformed JSON requests, derived from a valid one (each truncation point, wrong types, other shapes). */
    public static List<Entry> json(String validRequest) {
        List<Entry> out = new ArrayList<>();
        for (int cut : new int[]{1, validRequest.length() / 3, validRequest.length() / 2, validRequest.length() - 1}) {
            out.add(new Entry("truncated at " + cut, bytes(validRequest.substring(0, cut))));
        }
        out.add(new Entry("empty body", new byte[0]));
        out.add(new Entry("whitespace only", bytes("   \n ")));
        out.add(new Entry("JSON null", bytes("null")));
        out.add(new Entry("JSON array", bytes("[" + validRequest + "]")));
        out.add(new Entry("JSON string", bytes("\"" + validRequest.replace("\"", "'") + "\"")));
        out.add(new Entry("JSON number", bytes("42")));
        out.add(new Entry("object without fields", bytes("{}")));
        out.add(new Entry("every value a number", bytes(validRequest.replaceAll(":\\s*\"[^\"]*\"", ":7"))));
        out.add(new Entry("every value an object", bytes(validRequest.replaceAll(":\\s*\"[^\"]*\"", ":{\"x\":1}"))));
        out.add(new Entry("invalid UTF-8", concat(bytes("{\"id\":\""), new byte[]{(byte) 0xC3, (byte) 0x28, (byte) 0xFF},
                bytes("\"}"))));
        out.add(new Entry("XML instead of JSON, with XXE", bytes("<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM "
                + "\"file:///etc/passwd\">]><r>&x;</r>")));
        out.add(new Entry("deeply nested", bytes("[".repeat(5000) + "]".repeat(5000))));
        out.add(new Entry("huge body (4 MiB, unterminated)", bytes("{\"id\":\"" + "a".repeat(4 * 1024 * 1024))));
        return out;
    }

    /** Malformed XML documents, derived from a valid one: truncations, DTDs (XXE, entity expansion), not XML at all. */
    public static List<Entry> xml(String validDocument) {
        List<Entry> out = new ArrayList<>();
        for (int cut : new int[]{1, validDocument.length() / 3, validDocument.length() / 2, validDocument.length() - 1}) {
            out.add(new Entry("truncated at " + cut, bytes(validDocument.substring(0, cut))));
        }
        out.add(new Entry("empty body", new byte[0]));
        out.add(new Entry("JSON instead of XML", bytes("{\"document\":\"x\"}")));
        out.add(new Entry("XXE (external entity)", bytes("<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM "
                + "\"file:///etc/passwd\">]><r>&x;</r>")));
        out.add(new Entry("entity expansion (billion laughs)", bytes("<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a \"aaaaaaaaaa\">"
                + "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">"
                + "<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">]><l>&d;&d;&d;&d;&d;&d;&d;&d;</l>")));
        out.add(new Entry("invalid UTF-8", concat(bytes("<?xml version=\"1.0\" encoding=\"UTF-8\"?><r>"),
                new byte[]{(byte) 0xC3, (byte) 0x28, (byte) 0xFF}, bytes("</r>"))));
        out.add(new Entry("two root elements", bytes("<a/><b/>")));
        out.add(new Entry("huge body (4 MiB, unterminated)", bytes("<r>" + "a".repeat(4 * 1024 * 1024))));
        return out;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        return io.vendorlink.core.sandbox.AnswerCorpus.concat(parts);
    }
}
