package io.vendorlink.certna;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

/**
 * The Certna connector: wired here when {@code vendorlink.certna.enabled=true}. Not built yet: see the Certna issue.
 */
public class CertnaConfiguration implements CamelConfiguration {
    @Override
    public void configure(CamelContext context) {
        // The connector lands in its own issue; until then this configuration adds nothing.
    }
}
