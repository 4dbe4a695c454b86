package io.vendorlink.core;

import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SettingsTest {
    private Settings settings(String... kv) {
        DefaultCamelContext ctx = new DefaultCamelContext();
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.put(kv[i], kv[i + 1]);
        }
        ctx.getPropertiesComponent().setInitialProperties(p);
        return new Settings(ctx, "vendorlink.acme");
    }

    @Test
    void aMissingSettingNamesThePropertyAndItsEnvironmentVariable() {
        assertThatThrownBy(() -> settings().string("vendorId"))
                .hasMessageContaining("vendorlink.acme.vendorId").hasMessageContaining("VENDORLINK_ACME_VENDORID");
    }

    @Test
    void aMissingSecretSaysItHasNoDefaultOnPurpose() {
        assertThatThrownBy(() -> settings().secret("secretKey"))
                .hasMessageContaining("VENDORLINK_ACME_SECRETKEY").hasMessageContaining("no default on purpose");
    }

    @Test
    void durationsAcceptIsoAndCamelStyles() {
        Settings s = settings("vendorlink.acme.a", "PT2M", "vendorlink.acme.b", "500ms", "vendorlink.acme.c", "30s",
                "vendorlink.acme.d", "ten");
        assertThat(s.duration("a")).isEqualTo(Duration.ofMinutes(2));
        assertThat(s.duration("b")).isEqualTo(Duration.ofMillis(500));
        assertThat(s.duration("c")).isEqualTo(Duration.ofSeconds(30));
        assertThatThrownBy(() -> s.duration("d")).hasMessageContaining("vendorlink.acme.d").hasMessageContaining("not a duration");
    }

    @Test
    void malformedNumbersAndBooleansAreNamed() {
        Settings s = settings("vendorlink.acme.n", "12x", "vendorlink.acme.flag", "yes");
        assertThatThrownBy(() -> s.integer("n")).hasMessageContaining("vendorlink.acme.n = '12x' is not a whole number");
        assertThatThrownBy(() -> s.bool("flag")).hasMessageContaining("true or false");
    }
}
