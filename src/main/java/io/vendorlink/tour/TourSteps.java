package io.vendorlink.tour;

import java.util.List;
import java.util.Map;

/** A vendor's contribution to the tour. */
public interface TourSteps {
    /** Properties the steps need on top of the embedded defaults (e.g. time-compressed schedules). */
    default Map<String, String> properties() {
        return Map.of();
    }

    List<TourStep> steps();

    /** Called once the tour's runtime has stopped: delete what the steps made (folders, files). */
    default void cleanUp() {
    }
}
