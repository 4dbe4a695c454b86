package io.vendorlink.certna;

import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * Test-side queue reader on its own plain JMS connection (no prefetch). Camel's ConsumerTemplate goes through the
 * runtime's CachingConnectionFactory, whose cached idle consumers can prefetch a message and hide it from the next
 * receive; reading through a separate connection keeps the tests honest.
 */
final class CertnaQueues {
    private static final ActiveMQConnectionFactory CF = new ActiveMQConnectionFactory("vm://0?consumerWindowSize=0");

    private CertnaQueues() {
    }

    /** The next message on the queue within the timeout, or null; acknowledged on receipt. */
    static Message receive(String queue, long timeoutMillis) throws Exception {
        try (Connection c = CF.createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            try (MessageConsumer consumer = s.createConsumer(s.createQueue(queue))) {
                return consumer.receive(timeoutMillis);
            }
        }
    }

    static String text(Message m) throws Exception {
        return m == null ? null : ((jakarta.jms.TextMessage) m).getText();
    }
}
