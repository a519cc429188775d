/**
 * The Jepsen-style chaos harness (issue: chaos-tests). Packages: {@code history} (operations as recorded),
 * {@code checker} (Wing–Gong/Lowe linearizability checking), {@code hosts} (where node JVMs run and how faults are
 * injected), {@code nemesis} (fault schedules).
 */
package io.rns.chaos;
