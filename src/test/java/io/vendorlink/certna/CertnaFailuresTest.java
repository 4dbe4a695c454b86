package io.vendorlink.certna;

import io.vendorlink.core.failure.Outcome;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The classification table (§4, §9.2, §10, §12). */
class CertnaFailuresTest {

    private static Outcome classify(String op, boolean idempotent, int status, String body) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        return CertnaFailures.outcome(new CertnaFailures.Answer(op, idempotent, status, CertnaFailures.parse(b)));
    }

    @Test
    void bothErrorShapesParseToTheSameCodeAndMessage() {
        var upper = CertnaFailures.parse("{\"Exception\":{\"Code\":\"DatabaseError\",\"Message\":\"m\"}}".getBytes());
        var lower = CertnaFailures.parse("{\"code\":\"DatabaseError\",\"message\":\"m\"}".getBytes());
        assertThat(upper).contains(new CertnaFailures.VendorError("DatabaseError", "m"));
        assertThat(lower).isEqualTo(upper);
        assertThat(CertnaFailures.parse("<html>500</html>".getBytes())).isEqualTo(Optional.empty());
        assertThat(CertnaFailures.parse("{\"access_token\":\"x\",\"extra\":1}".getBytes())).isEmpty();
    }

    @Test
    void invalidSessionIsCredentialsExpiredInEitherShapeAndOnAnyStatus() {
        assertThat(classify("listPayloads", true, 500, "{\"Exception\":{\"Code\":\"InvalidUserCredentials\",\"Message\":\"Invalid Session Id\"}}"))
                .isEqualTo(Outcome.CREDENTIALS_EXPIRED);
        assertThat(classify("sendPayload", false, 500, "{\"code\":\"Whatever\",\"message\":\"Invalid Session Id\"}"))
                .isEqualTo(Outcome.CREDENTIALS_EXPIRED);
        assertThat(classify("transaction", true, 200, "{\"Exception\":{\"Code\":\"InvalidUserCredentials\",\"Message\":\"x\"}}"))
                .isEqualTo(Outcome.CREDENTIALS_EXPIRED);
    }

    @Test
    void aLoginAnsweredWithABackEndTimeoutIsTransientNotARefusalThatHoldsTheAccount() {
        // found by the fault soak: one SQL timeout on login held every submission for rejectedLoginHold (15 min)
        assertThat(classify("login", true, 500, "{\"Exception\":{\"Code\":\"DatabaseError\",\"Message\":\"Timeout expired. "
                + "The timeout period elapsed prior to completion of the operation.\"}}")).isEqualTo(Outcome.TRANSIENT);
        assertThat(classify("login", true, 500, "{\"code\":\"DatabaseError\",\"message\":\"Transaction was deadlocked\"}"))
                .isEqualTo(Outcome.TRANSIENT);
    }

    @Test
    void loginDatabaseErrorIsARejectionNeverTransient() {
        assertThat(classify("login", true, 500, "{\"Exception\":{\"Code\":\"DatabaseError\",\"Message\":\"The user name or/and password are invalid.\"}}"))
                .isEqualTo(Outcome.REJECTED);
        assertThat(classify("login", true, 500, "{\"code\":\"DatabaseError\",\"message\":\"Procedure or function 'spLogin_New' expects parameter '@PASSWORD'\"}"))
                .isEqualTo(Outcome.REJECTED);
    }

    @Test
    void databaseErrorIsTransientOnlyOnRepeatableCallsAndNeverForABadGuid() {
        String backend = "{\"Exception\":{\"Code\":\"DatabaseError\",\"Message\":\"Timeout expired.\"}}";
        assertThat(classify("transaction", true, 500, backend)).isEqualTo(Outcome.TRANSIENT);
        assertThat(classify("sendPayload", false, 500, backend)).isEqualTo(Outcome.REJECTED);
        assertThat(classify("validateChecksum", true, 500, "{\"Exception\":{\"Code\":\"DatabaseError\",\"Message\":"
                + "\"Conversion failed when converting from a character string to uniqueidentifier.\"}}")).isEqualTo(Outcome.REJECTED);
    }

    @Test
    void lockErrorIsARejectionTheClientHandles() {
        assertThat(classify("retrievePayload", true, 500, "{\"Exception\":{\"Code\":\"PayloadFileLockError\",\"Message\":\"not locked.\"}}"))
                .isEqualTo(Outcome.REJECTED);
    }

    @Test
    void htmlOrEmpty500IsTransientUnlessTheSendMayHaveLanded() {
        assertThat(classify("listPayloads", true, 500, "<html><body>500</body></html>")).isEqualTo(Outcome.TRANSIENT);
        assertThat(classify("listPayloads", true, 503, "")).isEqualTo(Outcome.TRANSIENT);
        assertThat(classify("sendPayload", false, 500, "<html/>")).isEqualTo(Outcome.UNKNOWN_OUTCOME);
        assertThat(classify("listPayloads", true, 429, "")).isEqualTo(Outcome.RATE_LIMITED);
        assertThat(classify("listPayloads", true, 404, "<html/>")).isEqualTo(Outcome.REJECTED);
        assertThat(classify("listPayloads", true, 200, "[{\"Count\":1,\"RepositoryName\":\"Send\",\"New\":true}]")).isEqualTo(Outcome.SUCCESS);
    }
}
