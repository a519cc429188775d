package io.rns.chaos.checker;

import java.util.List;

/**
 * Counterexample for a non-linearizable key.
 *
 * @param linearizedPrefix the longest partial linearization the search found (in linearization order)
 * @param stateAfterPrefix the model state after it ({@link Model#describe})
 * @param failedOp         the op whose completion was reached without any way to linearize it after that prefix
 * @param concurrent       the other ops of the key whose intervals overlap {@code failedOp}'s, by invocation time
 */
public record Witness(List<CheckOp> linearizedPrefix, String stateAfterPrefix, CheckOp failedOp,
        List<CheckOp> concurrent) {

    public String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append("cannot linearize: ").append(failedOp).append('\n');
        sb.append("  model state after the longest linearizable prefix (").append(linearizedPrefix.size())
                .append(" ops): ").append(stateAfterPrefix).append('\n');
        int from = Math.max(0, linearizedPrefix.size() - 10);
        if (from > 0) {
            sb.append("  ... ").append(from).append(" earlier ops\n");
        }
        for (int i = from; i < linearizedPrefix.size(); i++) {
            sb.append("  ").append(i + 1).append(". ").append(linearizedPrefix.get(i)).append('\n');
        }
        sb.append("  concurrent with the failed op (").append(concurrent.size()).append("):\n");
        for (CheckOp c : concurrent) {
            sb.append("    ").append(c).append('\n');
        }
        return sb.toString();
    }
}
