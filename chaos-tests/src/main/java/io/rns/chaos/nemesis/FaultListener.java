package io.rns.chaos.nemesis;

/**
 * Told about every fault transition of a {@link NemesisSchedule}, on the schedule's thread, right after the
 * transition took effect (so a "start" time is when the fault is in place, a "stop" time when it is undone).
 */
@FunctionalInterface
public interface FaultListener {
    /**
     * @param name   the nemesis name ({@code "final-heal"} for the closing heal)
     * @param phase  {@code "start"}, {@code "stop"}, or {@code "fail"} (the start or stop threw; detail says why;
     *               the schedule then heals everything before going on)
     * @param detail targets and what was done
     * @param nanos  {@code System.nanoTime()} minus the schedule's origin (see {@link NemesisSchedule.Builder#origin})
     */
    void onFault(String name, String phase, String detail, long nanos);
}
