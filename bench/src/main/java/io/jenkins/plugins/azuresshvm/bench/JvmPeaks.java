package io.jenkins.plugins.azuresshvm.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.TreeMap;

/**
 * This JVM's peak live threads ({@link ThreadMXBean#getPeakThreadCount()}, reset at start) and peak heap, both the
 * used heap sampled every 50 ms and the sum of the heap pools' own peaks (an upper bound: pools peak at different
 * times). At the sample with the most threads it also keeps their names, grouped, to show whose threads they are.
 */
final class JvmPeaks {
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final int threadsBefore;
    private final long heapBefore;
    private final Thread sampler;
    private volatile boolean running = true;
    private long peakHeapSampled;
    private int mostThreadsSampled;
    private Map<String, Integer> threadsAtPeak = Map.of();

    private JvmPeaks() {
        threadsBefore = threads.getThreadCount();
        heapBefore = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        threads.resetPeakThreadCount();
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
        sampler = new Thread(this::sample, "bench-jvm-peaks");
        sampler.setDaemon(true);
    }

    static JvmPeaks start() {
        JvmPeaks peaks = new JvmPeaks();
        peaks.sampler.start();
        return peaks;
    }

    private void sample() {
        while (running) {
            peakHeapSampled = Math.max(peakHeapSampled,
                    ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
            int count = threads.getThreadCount();
            if (count > mostThreadsSampled) {
                mostThreadsSampled = count;
                Map<String, Integer> byName = new TreeMap<>();
                Thread.getAllStackTraces().keySet().forEach(thread -> byName.merge(
                        thread.getName().replaceAll("[-#]?\\d+", "-N"), 1, Integer::sum));
                threadsAtPeak = byName;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    Figures stop() throws InterruptedException {
        running = false;
        sampler.join();
        long pools = ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        return new Figures(threadsBefore, threads.getPeakThreadCount(), heapBefore, peakHeapSampled, pools,
                threadsAtPeak);
    }

    /** What was measured; heap figures in bytes. */
    record Figures(int threadsBefore, int peakThreads, long heapBefore, long peakHeapSampled, long peakHeapPools,
            Map<String, Integer> threadsAtPeak) {}
}
