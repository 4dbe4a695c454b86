package io.vendorlink.core.sandbox;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

/**
 * The sandboxes' certificate authority: a CA and a server certificate for {@code localhost} / {@code 127.0.0.1},
 * generated on first use under {@code vendorlink.sandbox.tls.dir} and reused afterwards. Clients trust {@code ca.pem}
 * through the ordinary {@code vendorlink.<vendor>.tls.trustCertificates} setting, exactly as they would trust a
 * vendor's CA; verification is never turned off.
 */
public final class SandboxTls {
    private static final char[] STORE_PASSWORD = "sandbox-only".toCharArray();
    private static final String CA_FILE = "ca.pem";
    private static final String SERVER_FILE = "server.p12";

    private final Path dir;
    private final SSLContext serverContext;

    private SandboxTls(Path dir, SSLContext serverContext) {
        this.dir = dir;
        this.serverContext = serverContext;
    }

    /** Loads the CA and server key from {@code dir}, generating them if absent or expiring. */
    public static synchronized SandboxTls in(Path dir) {
        try {
            Files.createDirectories(dir);
            Path store = dir.resolve(SERVER_FILE);
            KeyStore ks = KeyStore.getInstance("PKCS12");
            if (Files.exists(store) && Files.exists(dir.resolve(CA_FILE))) {
                try (InputStream in = Files.newInputStream(store)) {
                    ks.load(in, STORE_PASSWORD);
                }
                X509Certificate cert = (X509Certificate) ks.getCertificate("server");
                if (cert == null || cert.getNotAfter().toInstant().isBefore(Instant.now().plus(Duration.ofDays(7)))) {
                    ks = generate(dir);
                }
            } else {
                ks = generate(dir);
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, STORE_PASSWORD);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return new SandboxTls(dir, ctx);
        } catch (Exception e) {
            throw new IllegalStateException("cannot prepare sandbox TLS material in " + dir.toAbsolutePath(), e);
        }
    }

    public SSLContext serverContext() {
        return serverContext;
    }

    /** The PEM file of the sandbox CA, to be listed in {@code vendorlink.<vendor>.tls.trustCertificates}. */
    public Path caPem() {
        return dir.resolve(CA_FILE);
    }

    /** The PKCS#12 key store holding the server key ({@code server} alias) for servers configured by file. */
    public Path serverKeyStore() {
        return dir.resolve(SERVER_FILE);
    }

    public static char[] keyStorePassword() {
        return STORE_PASSWORD.clone();
    }

    private static KeyStore generate(Path dir) throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
        gen.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
        KeyPair caKeys = gen.generateKeyPair();
        KeyPair serverKeys = gen.generateKeyPair();
        Instant now = Instant.now();
        Date from = Date.from(now.minus(Duration.ofDays(1)));
        Date to = Date.from(now.plus(Duration.ofDays(825)));
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        X500Name caName = new X500Name("CN=Vendorlink Sandbox CA,O=Vendorlink");

        X509v3CertificateBuilder caBuilder = new JcaX509v3CertificateBuilder(caName, serial(), from, to, caName, caKeys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(caKeys.getPublic()));
        ContentSigner caSigner = new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate());
        X509Certificate ca = new JcaX509CertificateConverter().getCertificate(caBuilder.build(caSigner));

        X509v3CertificateBuilder srvBuilder = new JcaX509v3CertificateBuilder(caName, serial(), from, to,
                new X500Name("CN=localhost,O=Vendorlink Sandbox"), serverKeys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement))
                .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[]{
                        new GeneralName(GeneralName.dNSName, "localhost"),
                        new GeneralName(GeneralName.iPAddress, "127.0.0.1")}))
                .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(ca));
        X509Certificate server = new JcaX509CertificateConverter().getCertificate(srvBuilder.build(caSigner));

        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("server", serverKeys.getPrivate(), STORE_PASSWORD, new X509Certificate[]{server, ca});
        Path tmpStore = dir.resolve(SERVER_FILE + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmpStore)) {
            ks.store(out, STORE_PASSWORD);
        }
        Path tmpCa = dir.resolve(CA_FILE + ".tmp");
        Files.writeString(tmpCa, pem(ca), StandardCharsets.US_ASCII);
        Files.move(tmpCa, dir.resolve(CA_FILE), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        Files.move(tmpStore, dir.resolve(SERVER_FILE), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return ks;
    }

    private static BigInteger serial() {
        return new BigInteger(64, new SecureRandom()).abs().add(BigInteger.ONE);
    }

    private static String pem(X509Certificate cert) throws IOException {
        try {
            return "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(cert.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IOException(e);
        }
    }
}
