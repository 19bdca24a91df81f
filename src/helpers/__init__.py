"""Shared code of the reanalysis, in two layers.

Every notebook imports from here; no analysis logic lives in notebook cells. Nothing about one
trial is typed in Python: it lives in the data folder (``trial.yaml`` and the tables), so the
same notebooks run on another trial's folder (``-p data_dir``).

Methods (know nothing about any trial or paper)
-----------------------------------------------
consistency
    GRIM, GRIMMER, DEBIT, percentages, n-inference.
effects
    Tests and effect sizes from summary data (over the rounding of the printed inputs),
    ANCOVA from summaries, Morris's d_ppc2.
sensitivity, sprite, balance
    Estimands for deaths, multiplicity by family, tipping points, priors (robustness, not
    verdicts); samples behind a printed mean and SD and rank-test bounds; baseline balance.
scoring
    The scoring engine of questionnaires (EORTC formulas, sum scores).
ledger, results, glue
    The claims ledger and its proof standard; deterministic result files and fragments; values
    glued into the book (myst_nb's format, without its import cost).
pipeline, sweep, paths
    Papermill execution of the notebooks (parallel, cached); the correlation sweep; locations.

Application (read the trial from its data folder and apply the methods to it)
------------------------------------------------------------------------------
trial, data, double_entry, instruments
    The trial description (``trial.yaml``); the schema-validated tables, whose allowed values
    come from it; the comparison of the two independent entries; the questionnaires as data
    (``data/instruments/instruments.yaml``).
cohort, table_checks, statements, related
    The participant flow, radiotherapy, sample size and text claims; the consistency checks
    applied to each table; the paper's interpreting sentences against its tables; the trial's
    other publications.
chapter, tables, plots
    The analysis one instrument's chapter shares with the others; the published tables as
    printed; the figures.
"""

__version__ = "0.1.0"
