package io.vendorlink.spaces;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

/**
 * The Spaces connector: wired here when {@code vendorlink.spaces.enabled=true}. Not built yet: see the Spaces issue.
 */
public class SpacesConfiguration implements CamelConfiguration {
    @Override
    public void configure(CamelContext context) {
        // The connector lands in its own issue; until then this configuration adds nothing.
    }
}
