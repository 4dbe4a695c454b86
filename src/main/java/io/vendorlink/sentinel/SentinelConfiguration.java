package io.vendorlink.sentinel;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

/**
 * The Sentinel connector: wired here when {@code vendorlink.sentinel.enabled=true}. Not built yet: see the Sentinel issue.
 */
public class SentinelConfiguration implements CamelConfiguration {
    @Override
    public void configure(CamelContext context) {
        // The connector lands in its own issue; until then this configuration adds nothing.
    }
}
