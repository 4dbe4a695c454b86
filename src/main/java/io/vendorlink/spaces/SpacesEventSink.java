package io.vendorlink.spaces;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.camel.ProducerTemplate;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the Firehose consumer hands new events ({@code vendorlink.spaces.firehose.publishMode}):
 * <ul>
 *   <li>{@code route} (default): each event to {@code firehose.publishUri}, i.e. the YAML route
 *       {@code spaces-firehose-publish}; {@link #commit} is a no-op;</li>
 *   <li>{@code jms-batch}: straight to the same queues on one transacted JMS session of the core's connection factory,
 *       committed per batch ({@code firehose.publishBatch}) and whenever the stream pauses: one journal sync per batch
 *       instead of one per event (the high-volume option). A failed commit is rolled back and the consumer forgets
 *       those ids, so the replay publishes them again.</li>
 * </ul>
 */
interface SpacesEventSink extends AutoCloseable {
    void publish(String type, String uid, long ts, String line) throws Exception;

    void commit() throws Exception;

    void rollback();

    @Override
    void close();

    static Map<String, Object> headers(String type, String uid, long ts) {
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put(SpacesFirehose.EVENT_TYPE, type);
        headers.put(SpacesFirehose.RECORD_UID, uid);
        headers.put(SpacesFirehose.RECORD_TIMESTAMP, ts);
        headers.put("VendorlinkMessageKey", "spaces:" + uid);
        return headers;
    }

    /** Through the YAML route. */
    final class Route implements SpacesEventSink {
        private final ProducerTemplate producer;
        private final String uri;

        Route(ProducerTemplate producer, String uri) {
            this.producer = producer;
            this.uri = uri;
        }

        @Override
        public void publish(String type, String uid, long ts, String line) {
            producer.sendBodyAndHeaders(uri, line, headers(type, uid, ts));
        }

        @Override
        public void commit() {
        }

        @Override
        public void rollback() {
        }

        @Override
        public void close() {
        }
    }

    /** Transacted JMS batches on the queues {@code <prefix>.<eventType>}. */
    final class JmsBatch implements SpacesEventSink {
        private final ConnectionFactory factory;
        private final String prefix;
        private final boolean persistent;
        /** One producer per event type (queue): no destination look-up or anonymous-producer credits per send. */
        private final Map<String, MessageProducer> producers = new HashMap<>();
        private Connection connection;
        private Session session;

        JmsBatch(ConnectionFactory factory, String prefix, boolean persistent) {
            this.factory = factory;
            this.prefix = prefix;
            this.persistent = persistent;
        }

        private void open() throws JMSException {
            if (session == null) {
                connection = factory.createConnection();
                session = connection.createSession(true, Session.SESSION_TRANSACTED);
                producers.clear();
            }
        }

        private MessageProducer producer(String type) throws JMSException {
            MessageProducer p = producers.get(type);
            if (p == null) {
                p = session.createProducer(session.createQueue(prefix + "." + type));
                p.setDeliveryMode(persistent ? DeliveryMode.PERSISTENT : DeliveryMode.NON_PERSISTENT);
                producers.put(type, p);
            }
            return p;
        }

        @Override
        public void publish(String type, String uid, long ts, String line) throws JMSException {
            open();
            TextMessage m = session.createTextMessage(line);
            // the headers of headers(...), set one by one: no map per event
            m.setStringProperty(SpacesFirehose.EVENT_TYPE, type);
            m.setStringProperty(SpacesFirehose.RECORD_UID, uid);
            m.setLongProperty(SpacesFirehose.RECORD_TIMESTAMP, ts);
            m.setStringProperty("VendorlinkMessageKey", "spaces:" + uid);
            producer(type).send(m);
        }

        @Override
        public void commit() throws JMSException {
            if (session != null) {
                session.commit();
            }
        }

        @Override
        public void rollback() {
            try {
                if (session != null) {
                    session.rollback();
                }
            } catch (JMSException e) {
                close(); // a broken session: reopened on the next publish
            }
        }

        @Override
        public void close() {
            try {
                if (connection != null) {
                    connection.close();
                }
            } catch (JMSException ignored) {
                // closing a broken connection
            }
            connection = null;
            session = null;
            producers.clear();
        }
    }
}
