package io.vendorlink.certna;

import io.vendorlink.core.security.Secret;
import io.vendorlink.core.security.SecretRedactor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Hasher strategies against fixed vectors. The expected values were computed outside Java, with
 * {@code printf '%s' "<text>" | openssl dgst -sha256 -binary | base64} (and {@code -sha1}, {@code -sha384}).
 */
class CertnaPasswordHasherTest {
    private static final Secret PASSWORD = Secret.of("pa55word");

    @Test
    void saltedDigestDefaultIsSha256OfSaltThenPassword() {
        var hasher = new CertnaPasswordHasher.SaltedDigest("SHA-256", "{salt}{password}");
        // openssl: NaClpa55word
        assertThat(hasher.passwordField("sample1", PASSWORD, "NaCl")).isEqualTo("ZgnP+EjFScd7cvN4DNivVl85Y8G8IKk2y6K8cYuOX8o=");
    }

    @Test
    void saltedDigestFollowsTheConfiguredTemplateAndDigest() {
        assertThat(new CertnaPasswordHasher.SaltedDigest("SHA-256", "{password}{salt}").passwordField("sample1", PASSWORD, "NaCl"))
                .isEqualTo("kIDXkOJoBytvdSM7QFo/Y80AZwKBFiTPiaHXCMDynhI=");
        assertThat(new CertnaPasswordHasher.SaltedDigest("SHA-256", "{user}{salt}{password}").passwordField("sample1", PASSWORD, "NaCl"))
                .isEqualTo("xstFjTudo1LX8BnI3vYeMxwLUFrlq1qKmzYsfEvA/wQ=");
        assertThat(new CertnaPasswordHasher.SaltedDigest("sha-1", "{salt}{password}").passwordField("sample1", PASSWORD, "NaCl"))
                .isEqualTo("jZHLvuKD39DKu0zpuIgYY+j4jNI=");
    }

    @Test
    void saltedDigestHashesUtf8Text() {
        var hasher = new CertnaPasswordHasher.SaltedDigest("SHA-256", "{password}{salt}");
        // openssl: the UTF-8 bytes of "Ünïcødé-salt✓"
        assertThat(hasher.passwordField("u", Secret.of("Ünïcødé"), "-salt✓")).isEqualTo("qlqxSVwWifvZPsm3JbqxHoozVswCW0uxvIAyVKsw1P4=");
    }

    @Test
    void sha256OutputHasTheSeedSampleLength() {
        // §3.1: the seed's sample decodes to 32 bytes, the size of a SHA-256 digest, which is why SHA-256 is the default
        String ours = new CertnaPasswordHasher.SaltedDigest("SHA-256", "{salt}{password}").passwordField("sample1", PASSWORD, "NaCl");
        assertThat(java.util.Base64.getDecoder().decode(ours)).hasSize(32);
        assertThat(java.util.Base64.getDecoder().decode("i4Z15hsQxRv0527iliRhb4j3/OlbtFu0SCn/7Sp+Sqk=")).hasSize(32);
    }

    @Test
    void legacySha1IgnoresTheSalt() {
        var hasher = new CertnaPasswordHasher.LegacySha1();
        assertThat(hasher.passwordField("sample1", PASSWORD, "NaCl")).isEqualTo("ImZfnNGcyZRs+SFiPU3KuDSyIeQ=");
        assertThat(hasher.passwordField("sample1", PASSWORD, "")).isEqualTo("ImZfnNGcyZRs+SFiPU3KuDSyIeQ=");
    }

    @Test
    void precomputedSendsTheConfiguredValueUnchanged() {
        var hasher = new CertnaPasswordHasher.Precomputed(Secret.of("i4Z15hsQxRv0527iliRhb4j3/OlbtFu0SCn/7Sp+Sqk="));
        assertThat(hasher.passwordField("sample1", PASSWORD, "NaCl")).isEqualTo("i4Z15hsQxRv0527iliRhb4j3/OlbtFu0SCn/7Sp+Sqk=");
    }

    @Test
    void unsupportedDigestOrTemplateWithoutPasswordIsAClearConfigurationError() {
        assertThatThrownBy(() -> new CertnaPasswordHasher.SaltedDigest("MD5", "{salt}{password}"))
                .hasMessageContaining("vendorlink.certna.password.digest");
        assertThatThrownBy(() -> new CertnaPasswordHasher.SaltedDigest("SHA-256", "{salt}"))
                .hasMessageContaining("vendorlink.certna.password.template");
    }

    @Test
    void checksumIsBase64Sha384OfTheEmbeddedBase64Text() {
        // openssl: printf 'SGVsbG8gV29ybGQ=' | openssl dgst -sha384 -binary | base64 (the text, not "Hello World")
        assertThat(CertnaChecksum.of("SGVsbG8gV29ybGQ=")).isEqualTo("ULC/PRLgWqQfiOgAVh8KaqT5luqE04bnOlMh0tluG1mLrhqKVqnfcR5yP9hpaxrl");
    }

    @Test
    void settingsThatDescribeThePasswordRuleAreNotMaskedButThePasswordAndSaltAre() {
        assertThat(SecretRedactor.isSecretKey("vendorlink.certna.password")).isTrue();
        assertThat(SecretRedactor.isSecretKey("vendorlink.certna.password.salt")).isTrue();
        assertThat(SecretRedactor.isSecretKey("vendorlink.certna.password.precomputed")).isTrue();
        assertThat(SecretRedactor.isSecretKey("vendorlink.certna.password.strategy")).isFalse();
        assertThat(SecretRedactor.isSecretKey("vendorlink.certna.password.digest")).isFalse();
        assertThat(SecretRedactor.isSecretKey("vendorlink.certna.token.idleRefresh")).isFalse();
    }
}
