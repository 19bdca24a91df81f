"""Shared code of the Rief et al. 2014 reanalysis.

Every notebook imports from here; no analysis logic lives in notebook cells.

Modules
-------
paths, data, double_entry
    Where things are; the schema-validated transcription (``data/published``); the comparison
    of its two independent entries.
consistency, table_checks, cohort, balance
    GRIM, GRIMMER, DEBIT, percentages, n-inference; their application to Tables 1-5; the
    participant flow, radiotherapy, sample size and text claims; baseline balance.
instruments, scoring
    The questionnaires as data, and their scoring.
effects, statements, related, sensitivity, sprite
    Tests and effect sizes from summary data (over the rounding of the printed inputs); the
    paper's interpreting sentences against its tables; the trial's other publications against
    this paper; multiplicity, power, attrition and Bayes (robustness, not verdicts); SPRITE
    reconstructions.
ledger, results, tables, plots, glue
    The claims ledger and its proof standard; deterministic result files; the published tables; the figures; values
    glued into the book (myst_nb's format, without its import cost).
pipeline, sweep
    Papermill execution of the notebooks (parallel, cached); the correlation sweep, whose runs
    are steps of the pipeline.
"""

__version__ = "0.1.0"
