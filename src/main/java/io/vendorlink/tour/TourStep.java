package io.vendorlink.tour;

import org.apache.camel.CamelContext;

/**
 * One workflow run of the tour: which vendor, which workflow, and the code that drives it through the real endpoints
 * (a queue, a direct endpoint, the HTTP ingress) and checks its outcome. {@code fault} names the documented failure the
 * step injects into the vendor's sandbox, or is null.
 */
public record TourStep(String vendor, String workflow, String fault, Action action) {

    @FunctionalInterface
    public interface Action {
        /** Runs the workflow; returns a one-line description of the outcome; throws if the workflow failed. */
        String run(CamelContext context) throws Exception;
    }
}
