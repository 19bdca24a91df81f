"""Benchmark: every consistency check of the paper's numbers, with n-inference over n = 5..100.

Target (issue 3): under 1 s. Run with ``make bench`` or ``.venv/bin/python benchmarks/consistency.py``.
Loading the transcription is outside the timing; each figure is the best of five runs. GRIMMER's
exact check caches tables per grid; a first run with those caches emptied is timed as well.
"""

import time

from helpers.methods import consistency
from helpers.reanalysis import cohort, data, table_checks, trial

DATA_DIR = "data/published"


def check_everything(tables, study):
    outcome = table_checks.outcome_consistency(tables["outcomes"], study, n_range=(5, 100))
    items = table_checks.item_consistency(tables["items"], tables["outcomes"], n_range=(5, 100))
    baseline = table_checks.baseline_ledger_rows(tables["baseline"], tables["claims"], study)
    flow = cohort.flow_checks(tables["claims"], tables["baseline"], tables["outcomes"], study)
    radiotherapy = cohort.radiotherapy_checks(tables["claims"], tables["baseline"], study)
    restated = cohort.restated_checks(tables["claims"], tables, DATA_DIR)
    return len(outcome) * 2 + len(items) * 2 + len(baseline) + len(flow) + len(radiotherapy) \
        + len(restated)


def clear_exact_caches():
    """Empty the exact GRIMMER check's per-grid tables and per-problem caches."""
    consistency._TABLES.clear()
    consistency._near_top.cache_clear()
    consistency._firing_family.cache_clear()


def main():
    tables = {name: data.load(name, DATA_DIR) for name in data.TABLES}
    study = trial.load(DATA_DIR)
    check_everything(tables, study)  # warm-up: imports and caches
    clear_exact_caches()
    start = time.perf_counter()
    check_everything(tables, study)
    cold = time.perf_counter() - start
    timings = []
    for _ in range(5):
        start = time.perf_counter()
        checked = check_everything(tables, study)
        timings.append(time.perf_counter() - start)
    best = min(timings)
    print(f"consistency checks: {checked} published numbers, n-inference over n = 5..100")
    print(f"best of 5: {best:.3f} s (target < 1 s): {'met' if best < 1 else 'NOT met'}")
    print(f"first run with the exact check's caches empty: {cold:.3f} s")


if __name__ == "__main__":
    main()
