/**
 * Fault kinds ({@link io.rns.chaos.nemesis.Nemesis} implementations), the seeded quiet/fault
 * {@link io.rns.chaos.nemesis.NemesisSchedule} that records every transition through a
 * {@link io.rns.chaos.nemesis.FaultListener}, and {@link io.rns.chaos.nemesis.RnsClusterView}, which finds the
 * leader by asking every node's status.
 */
package io.rns.chaos.nemesis;
