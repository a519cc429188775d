#!/usr/bin/env bash
# THE test command: every module's unit and integration tests, then the README tour against a real cluster.
#
#   scripts/test.sh               ./mvnw -B verify, then scripts/readme-tour-test.sh
#   scripts/test.sh --maven-only  only ./mvnw -B verify
#   scripts/test.sh --tour-only   only the README tour (builds the jars first if they are missing)
#
# Extra Maven arguments: MAVEN_ARGS (read by Maven 3.9 itself), e.g. MAVEN_ARGS="-DexcludedGroups=cluster"
# Exits non-zero if any part fails and says which.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

run_maven=1
run_tour=1
case "${1:-}" in
  "") ;;
  --maven-only) run_tour=0 ;;
  --tour-only) run_maven=0 ;;
  -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "test.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
esac

maven_result="skipped"
tour_result="skipped"
failed=0
passed=0

banner() { echo; echo "######## $*"; }

if ((run_maven)); then
  banner "test.sh part 1/2: ./mvnw -B verify (unit + integration tests of every module)"
  if ./mvnw -B -ntp verify; then
    maven_result="PASSED"; passed=$((passed + 1))
  else
    maven_result="FAILED (exit $?)"; failed=$((failed + 1))
  fi
fi

if ((run_tour)); then
  if [[ "$maven_result" == FAILED* ]]; then
    tour_result="skipped (the build/tests failed first)"
  else
    banner "test.sh part 2/2: scripts/readme-tour-test.sh (the README tour on a real 3-node cluster)"
    if scripts/readme-tour-test.sh; then
      tour_result="PASSED"; passed=$((passed + 1))
    else
      tour_result="FAILED (exit $?)"; failed=$((failed + 1))
    fi
  fi
fi

banner "test.sh summary"
echo "  ./mvnw -B verify:              $maven_result"
echo "  scripts/readme-tour-test.sh:   $tour_result"
failed_parts=()
[[ "$maven_result" == FAILED* ]] && failed_parts+=("maven-verify")
[[ "$tour_result" == FAILED* ]] && failed_parts+=("readme-tour")
((${#failed_parts[@]} == 0)) || echo "test.sh: FAILED part(s): ${failed_parts[*]}"
echo "test.sh: $passed passed, $failed failed"
exit $((failed > 0))
