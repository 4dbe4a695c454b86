package io.vendorlink.core.queue;

import io.vendorlink.core.ParallelStartService;
import io.vendorlink.core.Settings;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressFullMessagePolicy;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;

/**
 * The default broker: ActiveMQ Artemis in-process with a persistent journal under {@code data/broker}, so messages
 * survive a crash. Reached in-VM ({@code vm://0}) and, when {@code vendorlink.broker.embedded.acceptor} is set, over TCP.
 * Production points {@code vendorlink.broker.url} at an external broker and turns this off. Starts on its own thread,
 * overlapping the other services' start; routes start once it is up ({@link ParallelStartService}).
 */
public final class EmbeddedBroker extends ParallelStartService {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);
    private final Settings broker;
    private final long minDiskFree;
    private volatile EmbeddedActiveMQ server;
    private volatile Path dataDir;

    public EmbeddedBroker(Settings broker) {
        super("vendorlink-broker-start");
        this.broker = broker;
        this.minDiskFree = broker.bytes("embedded.minDiskFree");
    }

    /**
     * Whether the broker accepts messages. It blocks every producer once the disk of its data folder has less than
     * {@code vendorlink.broker.embedded.minDiskFree} free (checked every {@code diskScanPeriod}); a send then waits
     * until space is freed, so the health check says so in plain words.
     */
    public BrokerState state() {
        EmbeddedActiveMQ s = server;
        if (s == null || s.getActiveMQServer() == null || !s.getActiveMQServer().isActive()) {
            return new BrokerState(false, "embedded broker is not running", -1, minDiskFree);
        }
        var paging = s.getActiveMQServer().getPagingManager();
        long usable = usableSpace(dataDir);
        if (paging.isDiskFull()) {
            return new BrokerState(false, "embedded broker blocks every send: " + mb(usable) + " free on the disk of "
                    + dataDir + ", less than vendorlink.broker.embedded.minDiskFree = " + mb(minDiskFree)
                    + "; free disk space or lower the setting", usable, minDiskFree);
        }
        return new BrokerState(true, "embedded broker accepting messages, " + mb(usable) + " free on its disk", usable,
                minDiskFree);
    }

    /** What {@link #state()} found: {@code usableBytes} is -1 before the broker runs. */
    public record BrokerState(boolean accepting, String reason, long usableBytes, long minDiskFree) {
    }

    private static long usableSpace(Path dir) {
        try {
            return java.nio.file.Files.getFileStore(dir).getUsableSpace();
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    private static String mb(long bytes) {
        return bytes < 0 ? "?" : (bytes >> 20) + " MB";
    }

    @Override
    protected void startInParallel() throws Exception {
        Path dir = Path.of(broker.string("embedded.dataDir")).toAbsolutePath();
        this.dataDir = dir;
        Configuration cfg = new ConfigurationImpl()
                .setPersistenceEnabled(true)
                .setSecurityEnabled(false)
                .setJournalDirectory(dir.resolve("journal").toString())
                .setBindingsDirectory(dir.resolve("bindings").toString())
                .setPagingDirectory(dir.resolve("paging").toString())
                .setLargeMessagesDirectory(dir.resolve("large").toString())
                .setJournalSyncTransactional(true)
                .setJournalSyncNonTransactional(true)
                .setJMXManagementEnabled(false)
                .setGracefulShutdownEnabled(true)
                .setGracefulShutdownTimeout(broker.duration("embedded.shutdownTimeout").toMillis())
                // Block producers on free bytes, not on a percentage: Artemis' default (90 % of the disk used) blocks
                // every send on a large shared disk that still has gigabytes free.
                .setMinDiskFree(minDiskFree)
                .setDiskScanPeriod((int) broker.duration("embedded.diskScanPeriod").toMillis());
        cfg.addAcceptorConfiguration("in-vm", "vm://0");
        broker.optional("embedded.acceptor").ifPresent(uri -> {
            try {
                cfg.addAcceptorConfiguration("tcp", uri);
            } catch (Exception e) {
                throw new IllegalStateException("vendorlink.broker.embedded.acceptor = " + uri + " is not an acceptor URI", e);
            }
        });
        String dlq = broker.string("deadLetterQueue");
        AddressSettings defaults = new AddressSettings()
                // A message that keeps crashing the consumer ends on the DLQ instead of looping for ever.
                .setDeadLetterAddress(SimpleString.of(dlq))
                .setMaxDeliveryAttempts(broker.integer("maxDeliveryAttempts"))
                .setRedeliveryDelay(broker.duration("redeliveryDelay").toMillis())
                .setRedeliveryMultiplier(2.0)
                .setMaxRedeliveryDelay(broker.duration("maxRedeliveryDelay").toMillis())
                .setAutoCreateQueues(true)
                .setAutoCreateAddresses(true)
                .setExpiryAddress(SimpleString.of(dlq))
                .setAutoCreateDeadLetterResources(false)
                .setAddressFullMessagePolicy(AddressFullMessagePolicy.PAGE);
        cfg.addAddressSetting("#", defaults);
        server = new EmbeddedActiveMQ();
        server.setConfiguration(cfg);
        server.start();
        LOG.info("Embedded ActiveMQ Artemis started, journal at {}", dir);
    }

    @Override
    protected void stopStarted() throws Exception {
        if (server != null) {
            server.stop();
            LOG.info("Embedded ActiveMQ Artemis stopped");
        }
    }
}
