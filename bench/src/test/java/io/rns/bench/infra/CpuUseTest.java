package io.rns.bench.infra;

import io.rns.bench.infra.LoadRunner.Stats;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CpuUseTest {
    @Test
    void theBusyTicksOfTheAggregateCpuLineLeaveOutIdleAndIowait() {
        // user nice system idle iowait irq softirq steal guest guest_nice
        assertEquals(100 + 2 + 30 + 4 + 5 + 6, Procs.busyTicks("cpu  100 2 30 9999 777 4 5 6 0 0"));
        assertThrows(IllegalArgumentException.class, () -> Procs.busyTicks("cpu0 100 2 30 9999 777 4 5 6 0 0"));
    }

    @Test
    void aWindowOfBusyWorkInThisJvmShowsAsClientCpuAndMachineCores() {
        CpuUse.Sampler sampler = CpuUse.Sampler.start(List.of());
        long until = System.nanoTime() + 300_000_000L;
        long spin = 0;
        while (System.nanoTime() < until) {
            spin++;
        }
        CpuUse use = sampler.stop(1000);
        // 300 ms of spinning over 1,000 "operations" is ~300 µs each; /proc's 10 ms ticks allow a wide margin
        assertTrue(use.clientUsPerOp() > 150 && use.clientUsPerOp() < 1000, use + " after " + spin + " spins");
        assertTrue(use.machineCores() > 0.4, use.toString());
        assertTrue(Double.isNaN(use.serverUsPerOp()), "no server pids, no server figure: " + use);
        assertEquals("-", use.eachServer());
    }

    @Test
    void repeatedCellsTakeTheMedianOfEveryCpuFigureNodeByNode() {
        Repeated cell = new Repeated();
        cell.add(stats(new CpuUse(30, List.of(20.0, 5.0, 5.0), 40, 1.9)));
        cell.add(stats(new CpuUse(90, List.of(60.0, 15.0, 15.0), 10, 2.0)));
        cell.add(stats(new CpuUse(60, List.of(40.0, 10.0, 10.0), 20, 1.5)));
        CpuUse m = cell.median().cpu();
        assertEquals(60, m.serverUsPerOp());
        assertEquals(List.of(40.0, 10.0, 10.0), m.eachServerUsPerOp());
        assertEquals("40.0 · 10.0 · 10.0", m.eachServer());
        assertEquals(20, m.clientUsPerOp());
        assertEquals(1.9, m.machineCores());
    }

    private static Stats stats(CpuUse cpu) {
        return new Stats(1, 10, 0, 1, 10, 1, 1, 1, 1, 1, null, cpu);
    }
}
