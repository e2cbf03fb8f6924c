package dev.runway.training;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** The queue's tests: paced work instead of DJL, two executor slots, fast heartbeats. */
public class PacedWorkProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "quarkus.arc.selected-alternatives", PacedRunWork.class.getName(),
                "runway.executor.slots", "2",
                "runway.executor.heartbeat", "1s");
    }
}
