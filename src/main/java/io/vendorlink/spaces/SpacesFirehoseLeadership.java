package io.vendorlink.spaces;

import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterEventListener;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.cluster.CamelClusterView;
import org.apache.camel.support.cluster.ClusterServiceHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the Firehose consumer on the leader only: with several replicas, one reads the stream and the others stand by;
 * when the leader goes, the next one resumes from the shared checkpoint (state store) and de-duplication window
 * (database). Leadership comes from the runtime's cluster service (file lock locally, a Kubernetes Lease on a
 * cluster), namespace {@code vendorlink-spaces-firehose}; without a cluster service the consumer simply runs.
 */
final class SpacesFirehoseLeadership extends ServiceSupport implements CamelClusterEventListener.Leadership {
    static final String NAMESPACE = "vendorlink-spaces-firehose";
    private static final Logger LOG = LoggerFactory.getLogger(SpacesFirehoseLeadership.class);

    private final CamelContext context;
    private final SpacesFirehose firehose;
    private CamelClusterView view;

    SpacesFirehoseLeadership(CamelContext context, SpacesFirehose firehose) {
        this.context = context;
        this.firehose = firehose;
    }

    @Override
    protected void doStart() throws Exception {
        CamelClusterService service = ClusterServiceHelper.lookupService(context).orElse(null);
        if (service == null) {
            firehose.start();
            return;
        }
        view = service.getView(NAMESPACE);
        view.addEventListener(this);
        LOG.info("Spaces Firehose consumer runs on the leader of {} only", NAMESPACE);
    }

    @Override
    public synchronized void leadershipChanged(CamelClusterView v, CamelClusterMember leader) {
        boolean local = leader != null && leader.isLocal();
        if (local && !firehose.isStarted() && isRunAllowed()) {
            LOG.info("Leadership of {} taken: starting the Firehose consumer", NAMESPACE);
            firehose.start();
        } else if (!local && firehose.isStarted()) {
            LOG.info("Leadership of {} lost: stopping the Firehose consumer", NAMESPACE);
            firehose.stop();
        }
    }

    @Override
    protected synchronized void doStop() {
        if (view != null) {
            view.removeEventListener(this);
        }
        firehose.stop();
    }
}
