package io.vendorlink.spaces;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.camel.ProducerTemplate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
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
 * Every event sent with persistent delivery ({@code queue.deliveryPersistent}, the default) carries the broker's
 * duplicate-detection id ({@value #DUPLICATE_ID} = {@code spaces:<recordUid>}): the
 * consumer's own window persists its ids per checkpoint, so a crash (SIGKILL, power loss) between a publish and the
 * next checkpoint replays events the queues already hold; ActiveMQ Artemis (embedded or external) drops those
 * replays, so that no event reaches the queues twice (issue 6). Artemis ignores a whole transaction holding one
 * duplicate, so a refused batch is sent again one event per transaction, and only the duplicates are dropped.
 */
interface SpacesEventSink extends AutoCloseable {
    /** ActiveMQ Artemis's duplicate-detection message property ({@code Message.HDR_DUPLICATE_DETECTION_ID}). */
    String DUPLICATE_ID = "_AMQ_DUPL_ID";

    void publish(String type, String uid, long ts, String line) throws Exception;

    void commit() throws Exception;

    void rollback();

    @Override
    void close();

    /**
     * The event's headers; the broker's duplicate id only on persistent delivery: Artemis journals every duplicate id
     * (a disk write and a sync per commit), which would make a non-persistent ("in-memory") queue as slow as a
     * persistent one (issue 6 benchmark: 9,400 vs 28,000 events/s). A non-persistent queue is lost with its broker
     * anyway; after a crash of the runtime alone (external broker) up to {@code firehose.checkpointEvery} replayed
     * events can reach it twice, each with the same {@code VendorlinkMessageKey}.
     */
    static Map<String, Object> headers(String type, String uid, long ts, boolean persistent) {
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put(SpacesFirehose.EVENT_TYPE, type);
        headers.put(SpacesFirehose.RECORD_UID, uid);
        headers.put(SpacesFirehose.RECORD_TIMESTAMP, ts);
        headers.put("VendorlinkMessageKey", "spaces:" + uid);
        if (persistent) {
            headers.put(DUPLICATE_ID, "spaces:" + uid);
        }
        return headers;
    }

    /** Through the YAML route. */
    final class Route implements SpacesEventSink {
        private final ProducerTemplate producer;
        private final String uri;
        private final boolean persistent;

        Route(ProducerTemplate producer, String uri, boolean persistent) {
            this.producer = producer;
            this.uri = uri;
            this.persistent = persistent;
        }

        @Override
        public void publish(String type, String uid, long ts, String line) {
            producer.sendBodyAndHeaders(uri, line, headers(type, uid, ts, persistent));
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
        private final Map<String, Queue> queues = new HashMap<>();
        /** The batch since the last commit, to send again one by one if the broker refuses it for a duplicate. */
        private final List<Map.Entry<Queue, TextMessage>> batch = new ArrayList<>();
        private long duplicatesDropped;
        private Connection connection;
        private Session session;
        private MessageProducer producer;

        JmsBatch(ConnectionFactory factory, String prefix, boolean persistent) {
            this.factory = factory;
            this.prefix = prefix;
            this.persistent = persistent;
        }

        private void open() throws JMSException {
            if (session == null) {
                connection = factory.createConnection();
                session = connection.createSession(true, Session.SESSION_TRANSACTED);
                producer = session.createProducer(null);
                producer.setDeliveryMode(persistent ? DeliveryMode.PERSISTENT : DeliveryMode.NON_PERSISTENT);
                queues.clear();
            }
        }

        @Override
        public void publish(String type, String uid, long ts, String line) throws JMSException {
            open();
            TextMessage m = session.createTextMessage(line);
            for (Map.Entry<String, Object> h : headers(type, uid, ts, persistent).entrySet()) {
                m.setObjectProperty(h.getKey(), h.getValue());
            }
            Queue queue = queues.computeIfAbsent(type, t -> {
                try {
                    return session.createQueue(prefix + "." + t);
                } catch (JMSException e) {
                    throw new IllegalStateException(e);
                }
            });
            producer.send(queue, m);
            batch.add(Map.entry(queue, m));
        }

        @Override
        public void commit() throws JMSException {
            if (session == null) {
                return;
            }
            if (!committedUnlessDuplicate()) {
                // A replay after a crash: some of these events are on the queues already. One per transaction now.
                for (Map.Entry<Queue, TextMessage> e : batch) {
                    producer.send(e.getKey(), e.getValue());
                    if (!committedUnlessDuplicate()) {
                        duplicatesDropped++;
                    }
                }
            }
            batch.clear();
        }

        /** Commits; false if the broker refused the transaction for a duplicate id, any other failure thrown. */
        private boolean committedUnlessDuplicate() throws JMSException {
            try {
                session.commit();
                return true;
            } catch (JMSException refused) {
                if (!isDuplicate(refused)) {
                    batch.clear();
                    throw refused;
                }
                return false;
            }
        }

        /** Events the broker refused as already published (replays after a crash), since this sink was made. */
        long duplicatesDropped() {
            return duplicatesDropped;
        }

        /** Artemis refuses a transaction holding a duplicate id with AMQ229200-style "Duplicate message detected". */
        private static boolean isDuplicate(Throwable t) {
            for (Throwable c = t; c != null; c = c.getCause()) {
                if (c instanceof org.apache.activemq.artemis.api.core.ActiveMQDuplicateIdException
                        || (c.getMessage() != null && c.getMessage().toLowerCase(java.util.Locale.ROOT).contains("duplicate"))) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public void rollback() {
            batch.clear();
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
            producer = null;
        }
    }
}
