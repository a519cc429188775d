/** JMH microbenchmarks of the state machine (apply and route lookup), run outside the side-by-side bench. */
package io.rns.bench.jmh;
