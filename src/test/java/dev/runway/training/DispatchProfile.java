package dev.runway.training;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** The dispatch benchmark: no-op work, four executor slots, everything else as shipped. */
public class DispatchProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "quarkus.arc.selected-alternatives", NoOpRunWork.class.getName(),
                "runway.executor.slots", "4");
    }
}
