package dev.runway.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import dev.runway.testing.TenancyFixture;
import dev.runway.training.CompareFixture;
import dev.runway.training.LiveRunFixture;
import dev.runway.training.RunFixture;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/**
 * The console under load: real signed-in sessions on the dashboard, the runs list, a run page with live updates (a run
 * under way writes progress, metrics and log lines while the sessions watch it) and a dataset version page.
 * <ol>
 * <li><b>Round trips</b>: {@code load.sessions} (50) sessions speak Vaadin's own HTTP protocol ({@link UidlSession}),
 * each signed in through the login form and then clicking through the four pages (an in-app navigation, one UIDL
 * request each, 0.5–1.5 s apart; on the run page three one-second polls take the live changes), for
 * {@code load.seconds} (60); {@code load.browsers} (4) Chromium pages watch the run pages beside them through Push. A
 * round trip is a UIDL request's time as the client sees it, from sending to its last byte (server work, the
 * session lock, the response), on the same machine.</li>
 * <li><b>Heap per session</b>: with those sessions parked, the live heap (a class histogram, which runs a full GC),
 * then {@code load.held} (200) more sessions signed in and held open, a quarter on each page (the run-page ones polled
 * every second, as Push would deliver), the live heap again: (after − before) / held, and which classes grew.</li>
 * </ol>
 * Prints figures; not part of the test suite (its name keeps it out of surefire's run):
 * {@code ./mvnw test -Dtest=ConsoleLoadBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * -Dvaadin.devmode.componentTracker.enabled=false} (development mode's component tracker remembers where every
 * component was created, for the dev tools: a production server has none of it, so the heap figure leaves it out).
 */
@QuarkusTest
class ConsoleLoadBenchmark extends BrowserTestBase {

    private static final Pattern HISTOGRAM_LINE = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");

    @Inject
    TenancyFixture tenancy;

    @Inject
    RunFixture runs;

    @Inject
    CompareFixture finished;

    @Inject
    LiveRunFixture live;

    /** One company's pages and the run that is under way in it. */
    record Company(TenancyFixture.Company company, long versionId, long liveRunId, List<String> routes) {}

    @Test
    void fifty_active_sessions_and_two_hundred_held() throws Exception {
        int companies = Integer.getInteger("load.companies", 10);
        int active = Integer.getInteger("load.sessions", 50);
        int held = Integer.getInteger("load.held", 200);
        int browsers = Integer.getInteger("load.browsers", 4);
        int seconds = Integer.getInteger("load.seconds", 60);
        String loadBefore = Bench.load();

        long seeding = System.nanoTime();
        List<Company> setup = new ArrayList<>();
        for (int c = 0; c < companies; c++) {
            RunFixture.Setup s = runs.iris();
            for (int r = 0; r < 5; r++) {
                finished.succeeded(s.company().owner(), s.versionId(), RunFixture.mlp(300), 300, r * 0.05,
                        Map.of("accuracy", 0.9), Duration.ofMinutes(5));
            }
            long liveRun = live.running(s.company().owner(), s.versionId(), RunFixture.mlp(1000), 1000);
            setup.add(new Company(s.company(), s.versionId(), liveRun, List.of("", "runs", "runs/" + liveRun,
                    "datasets/versions/" + s.versionId())));
        }
        Bench.report("load", "seeded %d companies (a project, the iris dataset, 5 finished runs of 300 epochs, a run under"
                + " way) in %.1f s", companies, (System.nanoTime() - seeding) / 1e9);

        // The runs under way: a batch every 0.5 s each, an epoch (metrics, a log line) every 10 s.
        ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor();
        AtomicInteger step = new AtomicInteger();
        worker.scheduleWithFixedDelay(() -> {
            int s = step.getAndIncrement();
            for (Company c : setup) {
                live.advance(c.company().owner(), c.liveRunId(), s);
            }
        }, 500, 500, TimeUnit.MILLISECONDS);

        ExecutorService pool = Executors.newFixedThreadPool(Math.max(active, 8));
        try {
            // Phase 1: sign in the active sessions, warm every page once (dev mode compiles and caches on first use).
            List<UidlSession> sessions = Collections.synchronizedList(new ArrayList<>());
            ConcurrentLinkedQueue<Double> signIns = new ConcurrentLinkedQueue<>();
            // Two at a time: the sign-in throttle counts attempts per client address (10 free, a success taken back),
            // and every session here comes from 127.0.0.1; a session told to wait waits and tries again.
            ExecutorService signing = Executors.newFixedThreadPool(2);
            AtomicInteger throttled = new AtomicInteger();
            runAll(signing, active, i -> {
                Company c = setup.get(i % companies);
                UidlSession session = new UidlSession(base.toString());
                long t0 = System.nanoTime();
                throttled.addAndGet(session.signIn(c.company().ownerEmail(), TenancyFixture.PASSWORD));
                signIns.add((System.nanoTime() - t0) / 1e6);
                for (String route : c.routes()) {
                    session.navigate(route);
                }
                sessions.add(session);
                return null;
            });
            Bench.report("load", "signed in %d sessions (login form, argon2id check, start page): %s; throttle waits %d",
                    active, Bench.stats(toArray(signIns)), throttled.get());

            List<BrowserContext> contexts = new ArrayList<>();
            List<Page> pages = new ArrayList<>();
            for (int b = 0; b < browsers; b++) {
                Company c = setup.get(b % companies);
                BrowserContext context = newContext();
                Page page = signIn(context, c.company().ownerEmail());
                page.navigate(url(c.routes().get(2)));
                assertThat(page.locator(".progress-text")).containsText("Epoch");
                contexts.add(context);
                pages.add(page);
            }

            // Phase 2: the active sessions click through the four pages for `seconds`.
            Map<String, ConcurrentLinkedQueue<Double>> times = new LinkedHashMap<>();
            for (String kind : List.of("dashboard", "runs list", "run page", "run page live poll", "dataset page")) {
                times.put(kind, new ConcurrentLinkedQueue<>());
            }
            AtomicInteger liveChanges = new AtomicInteger();
            AtomicInteger errors = new AtomicInteger();
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            String loadStart = Bench.load();
            List<Future<?>> clicking = new ArrayList<>();
            for (int i = 0; i < active; i++) {
                UidlSession session = sessions.get(i);
                Company c = setup.get(i % companies);
                clicking.add(pool.submit(() -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    Thread.sleep(random.nextInt(1000));
                    while (System.nanoTime() < end) {
                        try {
                            times.get("dashboard").add(session.navigate("").millis());
                            think(random);
                            times.get("runs list").add(session.navigate("runs").millis());
                            think(random);
                            times.get("run page").add(session.navigate(c.routes().get(2)).millis());
                            for (int p = 0; p < 3; p++) {
                                Thread.sleep(1000);
                                UidlSession.Reply reply = session.poll();
                                times.get("run page live poll").add(reply.millis());
                                if (reply.changes()) {
                                    liveChanges.incrementAndGet();
                                }
                            }
                            times.get("dataset page").add(session.navigate(c.routes().get(3)).millis());
                            think(random);
                        } catch (java.io.IOException | RuntimeException e) {
                            errors.incrementAndGet();
                            System.out.println("[load-benchmark] error: " + e.getMessage());
                        }
                    }
                    session.navigate(""); // parked on the dashboard, which changes only on a notification
                    return null;
                }));
            }
            // Meanwhile the browsers watch their run pages: count the progress lines they were pushed.
            int[] seen = new int[pages.size()];
            String[] last = new String[pages.size()];
            while (System.nanoTime() < end) {
                for (int b = 0; b < pages.size(); b++) {
                    String text = pages.get(b).locator(".progress-text").textContent();
                    if (!text.equals(last[b])) {
                        seen[b]++;
                        last[b] = text;
                    }
                }
                Thread.sleep(1000);
            }
            for (Future<?> f : clicking) {
                f.get();
            }
            String loadEnd = Bench.load();
            List<Double> browserUidl = new ArrayList<>();
            for (Page page : pages) {
                Object durations = page.evaluate("performance.getEntriesByType('resource')"
                        + ".filter(e => e.name.includes('v-r=uidl')).map(e => e.duration)");
                for (Object d : (List<?>) durations) {
                    browserUidl.add(((Number) d).doubleValue());
                }
            }

            double[] all = times.values().stream().flatMap(q -> q.stream()).mapToDouble(Double::doubleValue).toArray();
            Bench.report("load", "%d sessions clicking for %d s + %d browser pages watching (load average %s at the "
                    + "start, %s at the end); %d errors", active, seconds, browsers, loadStart, loadEnd, errors.get());
            for (Map.Entry<String, ConcurrentLinkedQueue<Double>> e : times.entrySet()) {
                Bench.report("load", "round trip, %s: %s", e.getKey(), Bench.stats(toArray(e.getValue())));
            }
            Bench.report("load", "round trip, all UIDL requests (%.1f/s): %s", all.length / (double) seconds,
                    Bench.stats(all));
            Bench.report("load", "live polls that brought changes: %d; progress lines the browsers were pushed: %s",
                    liveChanges.get(), java.util.Arrays.toString(seen));
            Bench.report("load", "browser pages' own UIDL requests (Resource Timing): %s",
                    Bench.stats(browserUidl.stream().mapToDouble(Double::doubleValue).toArray()));

            // Phase 3: the heap per session. `held` more sessions, a quarter on each page, added page by page; the
            // live heap (a class histogram: a full GC, then the live objects counted) before and after each step.
            List<UidlSession> watching = Collections.synchronizedList(new ArrayList<>());
            // What Push would do for a browser on a run page: take the live changes every second.
            ScheduledExecutorService pushing = Executors.newSingleThreadScheduledExecutor();
            pushing.scheduleWithFixedDelay(() -> {
                for (UidlSession s : List.copyOf(watching)) {
                    try {
                        s.poll();
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                }
            }, 1, 1, TimeUnit.SECONDS);
            Thread.sleep(3000);
            Map<String, long[]> first = histogram();
            long[] heap = new long[5];
            heap[0] = first.get("Total")[1];
            String[] pageNames = {"dashboard", "runs list", "run page", "dataset page"};
            long t0 = System.nanoTime();
            for (int page = 0; page < 4; page++) {
                int onPage = page;
                runAll(signing, held / 4, i -> {
                    Company c = setup.get(i % companies);
                    UidlSession session = new UidlSession(base.toString());
                    throttled.addAndGet(session.signIn(c.company().ownerEmail(), TenancyFixture.PASSWORD));
                    session.navigate(c.routes().get(onPage));
                    if (onPage == 2) {
                        watching.add(session);
                    }
                    return null;
                });
                Thread.sleep(2000);
                heap[page + 1] = histogram().get("Total")[1];
                Bench.report("load", "  +%d sessions on the %s: live heap %,d → %,d bytes: %,d bytes per session",
                        held / 4, pageNames[page], heap[page], heap[page + 1], (heap[page + 1] - heap[page]) / (held / 4));
            }
            Bench.report("load", "signed in %d more sessions in %.1f s (%d on each page); throttle waits so far %d", held,
                    (System.nanoTime() - t0) / 1e9, held / 4, throttled.get());
            Map<String, long[]> after = histogram();
            pushing.shutdown();
            pushing.awaitTermination(30, TimeUnit.SECONDS);
            long liveAfter = after.get("Total")[1];
            Bench.report("load", "live heap after a full GC (class histogram, as jcmd GC.class_histogram): %,d bytes "
                    + "before, %,d with %d more sessions: %,d bytes per session", heap[0], liveAfter, held,
                    (liveAfter - heap[0]) / held);
            List<Map.Entry<String, long[]>> grown = new ArrayList<>();
            long positive = 0;
            for (Map.Entry<String, long[]> e : after.entrySet()) {
                long[] b = first.getOrDefault(e.getKey(), new long[2]);
                if (!e.getKey().equals("Total")) {
                    long[] delta = {e.getValue()[0] - b[0], e.getValue()[1] - b[1]};
                    positive += Math.max(0, delta[1]);
                    grown.add(Map.entry(e.getKey(), delta));
                }
            }
            Bench.report("load", "where it goes (class histogram growth per session, largest first; classes that grew "
                    + "add up to %,d bytes per session):", positive / held);
            grown.sort((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]));
            for (Map.Entry<String, long[]> e : grown.subList(0, Math.min(30, grown.size()))) {
                Bench.report("load", "  %,9d bytes %,7.1f objects  %s", e.getValue()[1] / held,
                        e.getValue()[0] / (double) held, e.getKey());
            }
            for (Map.Entry<String, long[]> e : grown.subList(Math.max(0, grown.size() - 5), grown.size())) {
                Bench.report("load", "  (shrank) %,9d bytes %,7.1f objects  %s", e.getValue()[1] / held,
                        e.getValue()[0] / (double) held, e.getKey());
            }
            for (BrowserContext context : contexts) {
                context.close();
            }
            signing.shutdown();
        } finally {
            worker.shutdownNow();
            pool.shutdownNow();
        }
        Bench.report("load", "load average before: %s; after: %s; cores: %d; max heap %,d MB", loadBefore, Bench.load(),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
    }

    private interface Task {
        Object run(int i) throws Exception;
    }

    private static void runAll(ExecutorService pool, int n, Task task) throws Exception {
        List<Future<Object>> futures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int index = i;
            futures.add(pool.submit(() -> task.run(index)));
        }
        for (Future<Object> f : futures) {
            f.get();
        }
    }

    private static void think(ThreadLocalRandom random) throws InterruptedException {
        Thread.sleep(500 + random.nextInt(1000));
    }

    private static double[] toArray(ConcurrentLinkedQueue<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** The live objects by class (instances, bytes), as {@code jcmd <pid> GC.class_histogram} (a full GC first). */
    private static Map<String, long[]> histogram() throws Exception {
        String text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
        Map<String, long[]> classes = new HashMap<>();
        for (String line : text.split("\n")) {
            Matcher m = HISTOGRAM_LINE.matcher(line);
            if (m.find()) {
                classes.merge(m.group(3), new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))},
                        (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
            } else if (line.startsWith("Total")) {
                String[] parts = line.trim().split("\\s+");
                classes.put("Total", new long[] {Long.parseLong(parts[1]), Long.parseLong(parts[2])});
            }
        }
        return classes;
    }
}
