"""Benchmark: Mann-Whitney bounds (survivors and composite) for every contrast of the paper.

Outcomes of Tables 2, 4 and 5 (t0-t2 and t0-t3, every scale; those with an unknown item count are
listed, not searched) and the single items of Table 3. Target: well under 20 s in total on two
cores. Run with ``.venv/bin/python benchmarks/rank_sum.py``; loading the transcription is outside
the timing. Prints each contrast's time, method, status and survivors' p range.
"""

import time

import pandas as pd

from helpers.methods import sprite
from helpers.reanalysis import data, plausible, trial

DATA_DIR = "data/published"


def main():
    outcomes = data.load_outcomes(DATA_DIR)
    cells = plausible.rank_sum_cells(outcomes, trial.load(DATA_DIR), data.load_effects(DATA_DIR),
                                     items=data.load_items(DATA_DIR),
                                     item_tests=data.load_item_tests(DATA_DIR),
                                     better={21: "higher", 22: "higher"})
    rows, total = [], time.perf_counter()
    for index in range(len(cells)):
        start = time.perf_counter()
        table = sprite.rank_sum_table(cells.iloc[[index]])
        rows.append(table.assign(seconds=time.perf_counter() - start))
    total = time.perf_counter() - total
    table = pd.concat(rows, ignore_index=True)
    columns = ["label", "method", "status", "samples_a", "samples_b", "p_min", "p_max",
               "composite_p_min", "composite_p_max", "published_p", "seconds"]
    with pd.option_context("display.width", 200, "display.max_columns", 20,
                           "display.max_rows", 100):
        print(table[columns].round(4).to_string(index=False))
    print(f"{len(table)} contrasts in {total:.2f} s (target: well under 20 s)")


if __name__ == "__main__":
    main()
