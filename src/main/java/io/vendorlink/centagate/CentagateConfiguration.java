package io.vendorlink.centagate;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

/**
 * The Centagate connector: wired here when {@code vendorlink.centagate.enabled=true}. Not built yet: see the Centagate issue.
 */
public class CentagateConfiguration implements CamelConfiguration {
    @Override
    public void configure(CamelContext context) {
        // The connector lands in its own issue; until then this configuration adds nothing.
    }
}
