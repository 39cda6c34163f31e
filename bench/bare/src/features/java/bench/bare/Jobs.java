package bench.bare;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

/** One job on the clustered Quartz store, so the scheduler is created and its triggers registered at start. */
@ApplicationScoped
public class Jobs {
    @Scheduled(identity = "tick", every = "10s")
    void tick() {
    }
}
