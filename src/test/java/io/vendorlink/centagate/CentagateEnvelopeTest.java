package io.vendorlink.centagate;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** §4: the envelope's JSON types are UNKNOWN, so every plausible form parses. */
class CentagateEnvelopeTest {

    private static CentagateEnvelope parse(String json) {
        return CentagateEnvelope.parse(json.getBytes(StandardCharsets.UTF_8)).orElseThrow();
    }

    @Test
    void stringCodeWithObjectAsAJsonEncodedStringParsesTheObjectASecondTime() {
        CentagateEnvelope e = parse("{\"code\":\"0\",\"message\":\"Success\",\"object\":\"{\\\"authToken\\\":\\\"t1\\\",\\\"secretCode\\\":\\\"s1\\\"}\"}");
        assertThat(e.success()).isTrue();
        assertThat(e.field("authToken")).isEqualTo("t1");
        assertThat(e.field("secretCode")).isEqualTo("s1");
    }

    @Test
    void numericCodeWithANestedObjectParses() {
        CentagateEnvelope e = parse("{\"code\":0,\"message\":\"Success\",\"object\":{\"boundUser\":\"alice\",\"boundTokenStatus\":1}}");
        assertThat(e.code()).isEqualTo("0");
        assertThat(e.field("boundUser")).isEqualTo("alice");
        assertThat(e.field("boundTokenStatus")).isEqualTo("1");
        assertThat(parse("{\"code\":29008,\"message\":\"x\"}").code()).isEqualTo("29008");
    }

    @Test
    void emptyNullOrPlainStringObjectsParse() {
        assertThat(parse("{\"code\":\"29001\",\"message\":\"Token not found\",\"object\":\"\"}").object().isMissingNode()).isTrue();
        assertThat(parse("{\"code\":\"29001\",\"message\":\"Token not found\",\"object\":null}").object().isMissingNode()).isTrue();
        assertThat(parse("{\"code\":\"29001\",\"message\":\"Token not found\"}").field("anything")).isEmpty();
        assertThat(parse("{\"code\":\"0\",\"message\":\"Success\",\"object\":\"12345\"}").object().asText()).isEqualTo("12345");
    }

    @Test
    void somethingThatIsNotAnEnvelopeIsRecognisedAsSuch() {
        for (String body : new String[]{"<html><body>500</body></html>", "{\"code\":\"0\",\"mess", "", "[]", "{\"status\":1}"}) {
            assertThat(CentagateEnvelope.parse(body.getBytes(StandardCharsets.UTF_8))).as(body).isEmpty();
        }
    }

    @Test
    void everyCodeOfTheSeedTableIsMappedWithItsMeaning() {
        CentagateReturnCodes codes = new CentagateReturnCodes(Set.of("10001"));
        assertThat(CentagateReturnCodes.entry("10003").kind()).isEqualTo(CentagateReturnCodes.Kind.TRANSIENT);
        assertThat(CentagateReturnCodes.entry("10004").kind()).isEqualTo(CentagateReturnCodes.Kind.TRANSIENT);
        for (String c : new String[]{"10002", "22002", "29001", "29002", "29004", "29008", "29011", "29017", "6002", "6007"}) {
            var e = codes.failure("registerActiveToken", parse("{\"code\":\"" + c + "\",\"message\":\"\"}"), true, null);
            assertThat(e).as(c).isInstanceOf(io.vendorlink.core.failure.RejectedException.class);
            assertThat(e.vendorCode()).isEqualTo(c);
            assertThat(e.getMessage()).contains(CentagateReturnCodes.entry(c).meaning());
            assertThat(CentagateReturnCodes.isTokenRegistrationAnswer(c)).isTrue();
        }
        assertThat(codes.failure("registerActiveToken", parse("{\"code\":\"10001\",\"message\":\"Permission not allowed\"}"), true, null))
                .isInstanceOf(io.vendorlink.core.failure.CredentialsExpiredException.class);
        assertThat(codes.failure("registerActiveToken", parse("{\"code\":\"77777\",\"message\":\"odd\"}"), true, null).getMessage())
                .contains("77777").contains("odd").contains("Unknown CentaGate return code");
    }
}
