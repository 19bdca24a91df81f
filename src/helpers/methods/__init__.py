"""Methods: statistical and consistency methods that know nothing about any trial.

Plain values in (numbers, printed strings, arm ids, ranges, data frames), data frames out; no
trial, data folder, file or paper is named here, and nothing is imported from
``helpers.reanalysis`` or ``helpers.build`` (``lint-imports`` and ``tests/test_layers.py`` check
both).

consistency
    GRIM, GRIMMER, DEBIT, percentages, n-inference.
effects
    Tests and effect sizes from summary data (over the rounding of the printed inputs), ANCOVA
    from summaries, Morris's d_ppc2, the reanalysis of published p-values and effect sizes.
sensitivity
    Multiplicity by family and gatekeeping, power and design errors, tipping points of deaths,
    Bayes factors and priors (robustness, not verdicts).
sprite
    Samples behind a printed mean and SD (SPRITE, exact enumeration) and bounds of a rank test.
balance
    Standardised differences at baseline, judged against chance; Carlisle's check.
instruments, scoring
    The model of a questionnaire (scales, items, response ranges) and its scoring (EORTC
    formulas, sum scores, the granularity of scores).
ledger
    The claims ledger's row schema and proof standard: columns, verdicts, the proof families of
    arithmetic, claim ids, the ``builds`` stamp.
"""
