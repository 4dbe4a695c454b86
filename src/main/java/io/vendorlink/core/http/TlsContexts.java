package io.vendorlink.core.http;

import io.vendorlink.core.Settings;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.List;

/**
 * The one TLS setup: per vendor, {@code vendorlink.<vendor>.tls.trustCertificates} lists PEM files of the CA
 * certificates to trust (the vendor's CA, or the sandbox CA). Empty means the JDK's default trust store. Certificate
 * and hostname verification are always on; there is no setting to turn them off.
 */
public final class TlsContexts {
    private TlsContexts() {
    }

    public static SSLContext forVendor(Settings vendor) {
        List<String> files = vendor.list("tls.trustCertificates");
        try {
            if (files.isEmpty()) {
                return SSLContext.getDefault();
            }
            return trusting(files.stream().map(Path::of).toList(), vendor.key("tls.trustCertificates"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS setup failed for " + vendor.prefix(), e);
        }
    }

    /** An SSL context that trusts exactly the CA certificates in the given PEM files. */
    public static SSLContext trusting(List<Path> pemFiles, String settingName) {
        try {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            int n = 0;
            for (Path p : pemFiles) {
                if (!Files.isReadable(p)) {
                    throw new IllegalStateException(settingName + ": cannot read CA certificate file " + p.toAbsolutePath());
                }
                try (InputStream in = Files.newInputStream(p)) {
                    Collection<? extends Certificate> certs = cf.generateCertificates(in);
                    if (certs.isEmpty()) {
                        throw new IllegalStateException(settingName + ": no certificate in " + p.toAbsolutePath());
                    }
                    for (Certificate c : certs) {
                        ks.setCertificateEntry("ca-" + n++, c);
                    }
                }
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(settingName + ": cannot load CA certificates", e);
        }
    }
}
