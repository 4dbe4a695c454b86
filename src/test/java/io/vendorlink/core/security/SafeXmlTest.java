package io.vendorlink.core.security;

import io.vendorlink.testing.TestDirs;
import org.junit.jupiter.api.Test;
import org.xml.sax.SAXException;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SafeXmlTest {

    @Test
    void anExternalEntityIsRefusedAndTheFileIsNeverRead() throws Exception {
        Path secret = TestDirs.createFile("xxe", ".txt");
        Files.writeString(secret, "TOP-SECRET-FILE-CONTENT");
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]><r>&x;</r>";
        assertThatThrownBy(() -> SafeXml.parse(xxe.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SAXException.class)
                .hasMessageContaining("DOCTYPE")
                .hasMessageNotContaining("TOP-SECRET");
    }

    @Test
    void entityExpansionIsRefused() {
        String lol = "<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;\">]><l>&b;</l>";
        assertThatThrownBy(() -> SafeXml.parse(lol.getBytes(StandardCharsets.UTF_8))).isInstanceOf(SAXException.class);
    }

    @Test
    void ordinaryVendorXmlParses() throws Exception {
        var doc = SafeXml.parse("<registration><url>https://x/scc</url></registration>".getBytes(StandardCharsets.UTF_8));
        assertThat(doc.getDocumentElement().getTextContent()).isEqualTo("https://x/scc");
    }
}
