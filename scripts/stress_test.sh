#!/usr/bin/env bash
# Run `make test` N times beside a process that churns local TCP ports (as other jobs on a busy
# CI machine do), and print how many runs failed. Kernels pick their ports by binding port 0
# and releasing it, so a churner can take one first; helpers.build.kernels starts such a kernel
# again. Usage: scripts/stress_test.sh N [COMMAND...]   (logs in build/stress/run-K.log)
# COMMAND is `make test` unless given, e.g. the notebooks alone under nbval (every kernel start):
#   scripts/stress_test.sh 20 .venv/bin/python -m pytest -q -n 2 --dist loadfile book/notebooks \
#     --nbval --nbval-sanitize-with tests/nbval_sanitize.cfg --nbval-current-env
set -uo pipefail
cd "$(dirname "$0")/.."
runs="${1:?usage: scripts/stress_test.sh N [COMMAND...]}"
shift
if [ "$#" -eq 0 ]; then set -- make test; fi
mkdir -p build/stress
python3 - <<'PY' &
import random, socket, time
held = []
while True:  # bind ephemeral ports, hold each briefly, let go: the ports a kernel may be offered
    sock = socket.socket()
    try:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        held.append(sock)
    except OSError:
        sock.close()
    if len(held) > 200:
        for old in held[:100]:
            old.close()
        del held[:100]
    time.sleep(random.uniform(0, 0.002))
PY
churner=$!
trap 'kill $churner 2>/dev/null' EXIT
failed=0
for k in $(seq 1 "$runs"); do
  if "$@" >"build/stress/run-$k.log" 2>&1; then
    echo "run $k of $runs: passed"
  else
    failed=$((failed + 1))
    echo "run $k of $runs: FAILED (build/stress/run-$k.log)"
  fi
done
echo "$failed of $runs runs failed ($*)"
exit $((failed > 0))
