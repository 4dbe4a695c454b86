package io.vendorlink.secutix;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

/**
 * The Secutix connector: wired here when {@code vendorlink.secutix.enabled=true}. Not built yet: see the Secutix issue.
 */
public class SecutixConfiguration implements CamelConfiguration {
    @Override
    public void configure(CamelContext context) {
        // The connector lands in its own issue; until then this configuration adds nothing.
    }
}
