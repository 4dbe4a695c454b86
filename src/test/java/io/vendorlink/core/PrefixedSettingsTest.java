package io.vendorlink.core;

import io.vendorlink.testing.TestRuntime;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link CoreServices#prefixed} collects a family of settings (sandbox fault switches, per-method rate limits). A key
 * given only on the command line ({@code -Dvendorlink.sandbox.secutix.faults.x=...}) belongs to the family too.
 */
class PrefixedSettingsTest {

    @Test
    void aKeyGivenOnlyAsASystemPropertyIsPartOfItsFamily() throws Exception {
        String key = "vendorlink.test.family.only-on-command-line";
        System.setProperty(key, "3");
        try (TestRuntime rt = TestRuntime.builder().property("vendorlink.test.family.in-overrides", "1").start()) {
            assertThat(rt.core().prefixed("vendorlink.test.family."))
                    .containsEntry("only-on-command-line", "3")
                    .containsEntry("in-overrides", "1");
        } finally {
            System.clearProperty(key);
        }
    }
}
