#!/usr/bin/env bash
# Runs the numpy peer (../shared/bench/numpy_peer.py, or $NUMPY_PEER) and the
# `simulate` example on the same scenario and prints both throughputs and
# their ratio.
#
# usage: scripts/compare-with-numpy.sh SCENARIO.toml [TRIALS] [ENGINE] [PEER_TRIALS]
# Installs numpy into .venv-bench/ on first use.
set -euo pipefail
cd "$(dirname "$0")/.."
scenario=${1:?usage: $0 SCENARIO.toml [TRIALS] [ENGINE] [PEER_TRIALS]}
trials=${2:-100000}
engine=${3:-auto}
peer_trials=${4:-$trials}
peer=${NUMPY_PEER:-../shared/bench/numpy_peer.py}
if [ ! -x .venv-bench/bin/python ]; then
  python3 -m venv .venv-bench
  .venv-bench/bin/pip install --quiet numpy
fi
cargo build --quiet --release --example simulate
ours=$(target/release/examples/simulate --scenario "$scenario" --trials "$trials" --engine "$engine" --format json)
theirs=$(.venv-bench/bin/python "$peer" "$scenario" --trials "$peer_trials")
python3 - "$ours" "$theirs" <<'PY'
import json, sys
ours, theirs = json.loads(sys.argv[1]), json.loads(sys.argv[2])
o, t = ours["timing"], theirs["timing"]
print(f"scenario        {ours['scenario']}")
print(f"lead-decay      {ours['trials']:>12,} trials  {o['seconds']:9.3f} s  {o['trials_per_second']:14,.0f} trials/s  {o['sql_trials_per_second']:16,.0f} SQL-trials/s  ({ours['engine']})")
print(f"numpy peer      {theirs['trials']:>12,} trials  {t['seconds']:9.3f} s  {t['trials_per_second']:14,.0f} trials/s  {t['sql_trials_per_second']:16,.0f} SQL-trials/s")
print(f"ratio           {o['trials_per_second'] / t['trials_per_second']:.1f} x")
print(f"means           customers {ours['metrics']['customers']['mean']:.4f} vs {theirs['metrics']['customers']['mean']:.4f}")
PY
