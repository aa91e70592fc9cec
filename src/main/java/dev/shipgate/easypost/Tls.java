package dev.shipgate.easypost;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * TLS for talking to EasyPost-compatible endpoints. The official client insists on https and uses
 * {@link HttpsURLConnection}, so a private endpoint (or the built-in simulator) is trusted by adding its
 * certificate to the JVM's default trust, next to the system CAs, never instead of them.
 */
public final class Tls {

    private static final List<X509Certificate> current = new ArrayList<>();

    private Tls() {
    }

    /** A key and certificate for loopback (DNS localhost, IP 127.0.0.1), as PEM. */
    public record SelfSigned(String certificatePem, String privateKeyPem, X509Certificate certificate) {
    }

    public static SelfSigned selfSigned() {
        try {
            // P-256: the official client opens a new TLS connection for every call, and an EC handshake
            // costs the simulator a fraction of an RSA-2048 one.
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(256, new SecureRandom());
            KeyPair keys = generator.generateKeyPair();
            X500Name subject = new X500Name("CN=localhost, O=Shipgate EasyPost simulator");
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                    new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofMinutes(5))),
                    Date.from(now.plus(Duration.ofDays(365))), subject, keys.getPublic());
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
            return new SelfSigned(pem(certificate), pem(new JcaPKCS8Generator(keys.getPrivate(), null)), certificate);
        } catch (Exception e) {
            throw new IllegalStateException("cannot generate the simulator's certificate", e);
        }
    }

    private static String pem(Object object) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        }
        return out.toString();
    }

    public static List<X509Certificate> readPem(Path file) {
        try {
            return parse(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    static List<X509Certificate> parse(byte[] pem) {
        try {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem));
            List<X509Certificate> out = new ArrayList<>();
            certs.forEach(c -> out.add((X509Certificate) c));
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("not a PEM certificate: " + e.getMessage(), e);
        }
    }

    /** Makes HttpsURLConnection trust the system CAs plus these certificates. */
    public static synchronized void trustAlso(List<X509Certificate> extra) {
        if (extra.isEmpty()) {
            return;
        }
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            TrustManagerFactory system = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            system.init((KeyStore) null);
            int i = 0;
            for (var tm : system.getTrustManagers()) {
                if (tm instanceof X509TrustManager x509) {
                    for (X509Certificate ca : x509.getAcceptedIssuers()) {
                        store.setCertificateEntry("system-" + i++, ca);
                    }
                }
            }
            for (X509Certificate cert : extra) {
                store.setCertificateEntry("extra-" + i++, cert);
            }
            for (X509Certificate cert : current) {
                store.setCertificateEntry("extra-" + i++, cert);
            }
            current.addAll(extra);
            TrustManagerFactory combined = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            combined.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, combined.getTrustManagers(), new SecureRandom());
            HttpsURLConnection.setDefaultSSLSocketFactory(context.getSocketFactory());
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot set up TLS trust: " + e.getMessage(), e);
        }
    }

}
