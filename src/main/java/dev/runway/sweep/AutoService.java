package dev.runway.sweep;

import dev.runway.base.BadInputException;
import dev.runway.base.Money;
import dev.runway.billing.PlanService;
import dev.runway.dataset.DatasetService;
import dev.runway.tenancy.Access;
import dev.runway.tenancy.Permission;
import dev.runway.training.AutoRuns;
import dev.runway.training.RunCharges;
import dev.runway.training.RunService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Currency;
import java.util.Map;

/**
 * Auto: plans a small ASHA sweep from the dataset version's profile ({@link AutoPlan}) and starts it with a time
 * limit beside the money cap. The search itself, its limits and the registration of its best model are the sweep's
 * ({@link SweepService}).
 */
@ApplicationScoped
public class AutoService implements AutoRuns {

    static final Duration MIN_TIME = Duration.ofMinutes(1);
    static final Duration MAX_TIME = Duration.ofHours(24);
    /** The default time limit is this many times the trials' estimated time, and at least {@link #MIN_DEFAULT}. */
    private static final int TIME_MARGIN = 2;
    private static final Duration MIN_DEFAULT = Duration.ofMinutes(5);

    @Inject
    Access access;

    @Inject
    DatasetService datasets;

    @Inject
    RunService runs;

    @Inject
    PlanService plans;

    @Inject
    SweepService sweeps;

    @Override
    @Transactional
    public Preview preview(long datasetVersionId) {
        access.require(Permission.MANAGE_PROJECTS);
        AutoPlan plan = plan(datasetVersionId);
        Currency currency = plans.currency();
        BigDecimal estimate = BigDecimal.ZERO;
        long seconds = 0;
        try {
            // Every trial at its full epochs: ASHA and early stopping only make it cheaper.
            for (Map<String, Object> values : space(plan).trials(SweepSpace.Method.ASHA, plan.trials(),
                    AutoPlan.SEED)) {
                RunCharges.Estimate e = runs.price(new RunService.Submission(datasetVersionId,
                        SweepSpace.apply(plan.base(), values), "auto", 50));
                estimate = estimate.add(e.exact());
                seconds += e.seconds();
            }
        } catch (BadInputException e) {
            throw new BadInputException("dataset", "Auto cannot train on this version: " + e.getMessage());
        }
        // Rounded up to the currency's smallest unit: a search of short CPU trials costs fractions of a cent.
        BigDecimal money = estimate.setScale(Money.scale(currency), RoundingMode.CEILING)
                .max(Money.smallest(currency));
        long perSlot = (seconds + plan.parallel() - 1) / plan.parallel();
        Duration time = Duration.ofMinutes((perSlot * TIME_MARGIN + 59) / 60);
        time = time.compareTo(MIN_DEFAULT) < 0 ? MIN_DEFAULT : time.compareTo(MAX_TIME) > 0 ? MAX_TIME : time;
        return new Preview(plan.choice().shape(), plan.choice().template().label(), plan.choice().why(),
                plan.choice().search(), plan.trials(), plan.parallel(), time, money,
                estimate.setScale(6, RoundingMode.HALF_UP), currency.getCurrencyCode());
    }

    @Override
    @Transactional
    public long start(long datasetVersionId, Duration timeLimit, BigDecimal moneyLimit) {
        return start(datasetVersionId, timeLimit, moneyLimit, null);
    }

    /** As {@link #start(long, Duration, BigDecimal)}, with the currency the API's cap was given in (null: the company's). */
    @Transactional
    public long start(long datasetVersionId, Duration timeLimit, BigDecimal moneyLimit, String currency) {
        Preview preview = preview(datasetVersionId);
        Duration time = timeLimit == null ? preview.timeLimit() : timeLimit;
        if (time.compareTo(MIN_TIME) < 0 || time.compareTo(MAX_TIME) > 0) {
            throw new BadInputException("timeLimit", "Auto's time limit is from 1 minute to 24 hours");
        }
        if (time.toSeconds() % 60 != 0) {
            throw new BadInputException("timeLimit", "Give the time limit in whole minutes");
        }
        AutoPlan plan = plan(datasetVersionId);
        return sweeps.create(new SweepService.Request(datasetVersionId, plan.base(), "asha", plan.trials(),
                plan.parallel(), plan.space(), null, moneyLimit == null ? preview.moneyLimit() : moneyLimit,
                currency == null ? preview.currency() : currency, AutoPlan.SEED, plan.eta(), plan.minEpochs()), plan.choice(), time).getId();
    }

    private AutoPlan plan(long datasetVersionId) {
        return AutoPlan.of(datasets.preparation(datasetVersionId).orElse(null), datasets.profile(datasetVersionId));
    }

    private static SweepSpace space(AutoPlan plan) {
        return SweepSpace.parse(plan.space());
    }
}
