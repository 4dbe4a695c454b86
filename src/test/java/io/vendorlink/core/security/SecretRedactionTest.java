package io.vendorlink.core.security;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import io.vendorlink.testing.TestRuntime;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class SecretRedactionTest {
    private static final String SECRET = "Br0ker-Pa55word-7f3a9c";

    @Test
    void aConfiguredSecretNeverAppearsInCapturedLogsWhoeverLogsIt() {
        LoggerContext lc = (LoggerContext) LoggerFactory.getILoggerFactory();
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PatternLayoutEncoder enc = new PatternLayoutEncoder();
        enc.setContext(lc);
        enc.setPattern("%level %logger - %msg%n%rex"); // the same converters as logback.xml
        enc.start();
        OutputStreamAppender<ILoggingEvent> app = new OutputStreamAppender<>();
        app.setContext(lc);
        app.setEncoder(enc);
        app.setOutputStream(captured);
        app.start();
        ch.qos.logback.classic.Logger root = lc.getLogger(Logger.ROOT_LOGGER_NAME);
        root.addAppender(app);
        try (TestRuntime rt = TestRuntime.builder().property("vendorlink.broker.password", SECRET).start()) {
            Logger log = LoggerFactory.getLogger("leak.test");
            // careless code, an exception message, and Camel's own log component with headers
            log.info("connecting with password {}", SECRET);
            log.warn("call failed", new IllegalStateException("auth failed for " + SECRET));
            rt.producer().sendBodyAndHeader("log:leak.camel?showHeaders=true", "body " + SECRET, "X-Token", SECRET);
        } finally {
            root.detachAppender(app);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("connecting with password ******").contains("auth failed for ******");
        assertThat(out).contains("leak.camel");
        assertThat(out).doesNotContain(SECRET);
    }

    @Test
    void aBooleanSettingWhoseNameLooksSecretDoesNotMaskEveryTrueAndFalse() {
        SecretRedactor.register("false");
        SecretRedactor.register("true");
        SecretRedactor.register("a-real-looking-secret-value");
        assertThat(SecretRedactor.redact("failed=false, enabled=true, key=a-real-looking-secret-value"))
                .isEqualTo("failed=false, enabled=true, key=" + SecretRedactor.MASK);
    }
}
