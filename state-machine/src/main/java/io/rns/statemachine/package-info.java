/**
 * The deterministic route table (DESIGN §1-3).
 *
 * <ul>
 *   <li>{@link io.rns.statemachine.LogRecords} decodes Raft entry payloads ({@code rns.log.v1.LogRecord});
 *       {@link io.rns.statemachine.RecordValidator} holds every field rule (also used by the server on the wire path)
 *       with limits in {@link io.rns.statemachine.Limits}.</li>
 *   <li>{@link io.rns.statemachine.RouteStateMachine} applies committed entries in batches: one RocksDB WriteBatch
 *       per batch with the applied index, then one published immutable {@link io.rns.statemachine.RouteImage}.
 *       Business refusals are {@link io.rns.statemachine.ApplyResult.Rejected} results; corruption and store failures
 *       are {@link io.rns.statemachine.StateMachineException}s that must halt the replica.</li>
 *   <li>Snapshots are RocksDB checkpoints plus a CRC32C manifest; loading verifies everything before touching the
 *       live store ({@link io.rns.statemachine.StoreFiles}: the checks, the verified copy, the swap and its crash
 *       recovery, restores from backup files).</li>
 * </ul>
 * No clock, no randomness, no network: time enters only as {@code LogRecord.leader_time_ms}.
 */
package io.rns.statemachine;
