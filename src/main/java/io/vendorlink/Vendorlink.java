package io.vendorlink;

import io.vendorlink.centagate.CentagateConfiguration;
import io.vendorlink.certna.CertnaConfiguration;
import io.vendorlink.core.CoreConfiguration;
import io.vendorlink.demo.DemoEcho;
import io.vendorlink.secutix.SecutixConfiguration;
import io.vendorlink.sentinel.SentinelConfiguration;
import io.vendorlink.spaces.SpacesConfiguration;
import org.apache.camel.main.Main;

import java.util.Map;

/** camel-main bootstrap: the core, then one configuration per connector. Nothing else. */
public final class Vendorlink {
    /**
     * Defaults ship in the jar; an {@code application.properties} in the working directory overrides them key by key
     * (Camel takes a key from the first location that has it).
     */
    public static final String PROPERTY_LOCATIONS =
            "file:application.properties;optional=true,classpath:application.properties;optional=true";

    private Vendorlink() {
    }

    public static void main(String[] args) throws Exception {
        create(Map.of()).run(args);
    }

    /** The runtime with extra overriding properties (tests, the tour). */
    public static Main create(Map<String, String> overrides) {
        // No main class: package scanning would register each configuration a second time. The list below is ordered.
        Main main = new Main();
        main.setDefaultPropertyPlaceholderLocation(PROPERTY_LOCATIONS);
        main.configure().addConfiguration(CoreConfiguration.class);
        main.configure().addConfiguration(SentinelConfiguration.class);
        main.configure().addConfiguration(SecutixConfiguration.class);
        main.configure().addConfiguration(CertnaConfiguration.class);
        main.configure().addConfiguration(SpacesConfiguration.class);
        main.configure().addConfiguration(CentagateConfiguration.class);
        main.configure().addConfiguration(DemoEcho.class);
        overrides.forEach(main::addOverrideProperty);
        return main;
    }
}
