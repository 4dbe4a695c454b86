package io.vendorlink.certna;

import io.vendorlink.core.failure.InvalidInputException;
import io.vendorlink.core.security.SafeXml;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.sql.DataSource;
import javax.xml.XMLConstants;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Submit workflow's memory (table {@code certna_submission}): a document goes PREPARED (checksums stored and
 * written into the PRIA_DOCUMENTs, §5) → SENDING → SENT (the {@code .tmp} name is known) → FINALIZED. Each step is
 * recorded before the next starts, so a redelivery continues where the last attempt stopped: a failed finalize is
 * retried on the remembered {@code .tmp} name, and a send whose answer was lost is looked up in the repository
 * before anything is sent again (§12.6: never re-send a duplicate blindly).
 */
public final class CertnaSubmissions {
    private static final Logger LOG = LoggerFactory.getLogger(CertnaSubmissions.class);

    enum State { PREPARED, SENDING, SENT, FINALIZED }

    /** One submission as recorded. */
    public record Submission(String key, String repository, String payloadName, State state, List<String> checksumKeys,
                             String prepared, String tmpName, String finalName) {
        public Map<String, Object> outcome() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("key", key);
            out.put("repository", repository);
            out.put("payloadName", payloadName);
            out.put("checksumKeys", checksumKeys);
            out.put("tmpName", tmpName);
            out.put("finalName", finalName);
            out.put("state", state.name());
            return out;
        }
    }

    private final DataSource dataSource;
    private final CertnaClient client;
    private final boolean countyRole;

    public CertnaSubmissions(DataSource dataSource, CertnaClient client, boolean countyRole) {
        this.dataSource = dataSource;
        this.client = client;
        this.countyRole = countyRole;
    }

    /** Checksum → send → finalize, resuming from whatever a previous attempt with the same key recorded. */
    public Submission submit(String key, String repository, String payloadName, String xml) {
        Submission s = find(key).orElse(null);
        if (s == null) {
            Prepared p = prepare(xml);
            s = new Submission(key, repository, payloadName, State.PREPARED, p.checksumKeys, p.xml, null, null);
            insert(s);
        }
        if (s.state == State.FINALIZED) {
            LOG.info("vendor=certna submission {} already finalized as {}: not sent again", key, s.finalName);
            return s;
        }
        if (s.state == State.SENDING) {
            // The previous attempt may have landed without us hearing the answer: look before sending again.
            String landed = findLanded(s);
            if (landed != null) {
                LOG.info("vendor=certna submission {} found already sent as {}: adopting it, not re-sending", key, landed);
                s = update(s, landed.endsWith(".xml") ? State.FINALIZED : State.SENT, landed,
                        landed.endsWith(".xml") ? landed : null);
            }
        }
        if (s.state == State.PREPARED || s.state == State.SENDING) {
            s = update(s, State.SENDING, null, null);
            String tmp = client.sendPayload(repository, payloadName, s.prepared.getBytes(StandardCharsets.UTF_8));
            s = update(s, State.SENT, tmp, null);
        }
        if (s.state == State.SENT) {
            String fin = client.finalizePayload(repository, s.tmpName);
            s = update(s, State.FINALIZED, s.tmpName, fin);
        }
        LOG.info("vendor=certna submission {} finalized as {}/{}", key, repository, s.finalName);
        return s;
    }

    private String findLanded(Submission s) {
        String base = s.payloadName.endsWith(".xml") ? s.payloadName.substring(0, s.payloadName.length() - 4) : s.payloadName;
        List<String> names = client.listPayloads(s.repository, "file_name:StartsWith:" + base, 1, 20, null);
        return names.stream().filter(n -> n.equals(base + ".tmp")).findFirst()
                .orElse(names.stream().filter(n -> n.equals(base + ".xml")).findFirst().orElse(null));
    }

    private record Prepared(String xml, List<String> checksumKeys) {
    }

    /**
     * §5: for each PRIA_DOCUMENT, the embedded Base64 text is written without line breaks, its checksum stored, and the
     * returned key written into {@code RequestChecksumValue} (agents) or {@code ResponseChecksumValue} (counties) with
     * the algorithm attribute {@code SHA384}.
     */
    private Prepared prepare(String xml) {
        Document doc;
        try {
            doc = SafeXml.parse(xml.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new InvalidInputException(CertnaClient.VENDOR, "submit", "the submission is not well-formed XML: "
                    + e.getMessage(), e);
        }
        String prefix = countyRole ? "Response" : "Request";
        List<String> keys = new ArrayList<>();
        NodeList docs = doc.getElementsByTagName("PRIA_DOCUMENT");
        if (docs.getLength() == 0) {
            throw new InvalidInputException(CertnaClient.VENDOR, "submit", "the submission holds no PRIA_DOCUMENT (root "
                    + doc.getDocumentElement().getTagName() + "): nothing to record");
        }
        for (int i = 0; i < docs.getLength(); i++) {
            Element d = (Element) docs.item(i);
            NodeList embedded = d.getElementsByTagName("DOCUMENT");
            if (embedded.getLength() == 0) {
                continue;
            }
            String base64 = embedded.item(0).getTextContent().replaceAll("\\s", "");
            embedded.item(0).setTextContent(base64);
            String checksum = CertnaChecksum.of(base64);
            String key = client.storeChecksum(checksum);
            LOG.debug("vendor=certna PRIA_DOCUMENT {} checksum {} stored as {}", i, checksum, key);
            d.setAttribute(prefix + "ChecksumValue", key);
            d.setAttribute(prefix + "ChecksumAlgorithm", CertnaChecksum.ALGORITHM);
            keys.add(key);
        }
        return new Prepared(docs.getLength() == 0 ? xml : serialize(doc), keys);
    }

    private static String serialize(Document doc) {
        try {
            TransformerFactory tf = TransformerFactory.newInstance();
            tf.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            tf.setAttribute(XMLConstants.ACCESS_EXTERNAL_STYLESHEET, "");
            Transformer t = tf.newTransformer();
            t.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            StringWriter w = new StringWriter();
            t.transform(new DOMSource(doc), new StreamResult(w));
            return w.toString();
        } catch (Exception e) {
            throw new IllegalStateException("cannot write the prepared PRIA XML", e);
        }
    }

    // ---- table certna_submission ----------------------------------------------------------------------------------

    public Optional<Submission> find(String key) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT repository, payload_name, state, checksum_keys, prepared, tmp_name, final_name "
                        + "FROM certna_submission WHERE message_key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                String keys = rs.getString(4);
                return Optional.of(new Submission(key, rs.getString(1), rs.getString(2), State.valueOf(rs.getString(3)),
                        keys == null || keys.isEmpty() ? List.of() : List.of(keys.split(",")), rs.getString(5),
                        rs.getString(6), rs.getString(7)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("certna_submission: cannot read " + key, e);
        }
    }

    private void insert(Submission s) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO certna_submission (message_key, repository, payload_name, state, checksum_keys, prepared, "
                        + "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, s.key);
            ps.setString(2, s.repository);
            ps.setString(3, s.payloadName);
            ps.setString(4, s.state.name());
            ps.setString(5, String.join(",", s.checksumKeys));
            ps.setString(6, s.prepared);
            ps.setTimestamp(7, Timestamp.from(Instant.now()));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("certna_submission: cannot record " + s.key
                    + (io.vendorlink.core.state.Database.isUniqueViolation(e) ? " (a concurrent delivery is submitting it)" : ""), e);
        }
    }

    private Submission update(Submission s, State state, String tmp, String fin) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE certna_submission SET state = ?, tmp_name = ?, final_name = ?, updated_at = ? WHERE message_key = ?")) {
            ps.setString(1, state.name());
            ps.setString(2, tmp);
            ps.setString(3, fin);
            ps.setTimestamp(4, Timestamp.from(Instant.now()));
            ps.setString(5, s.key);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("certna_submission: cannot update " + s.key, e);
        }
        return new Submission(s.key, s.repository, s.payloadName, state, s.checksumKeys, s.prepared, tmp, fin);
    }
}
