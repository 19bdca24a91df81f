"""The reanalysis: reads a trial's data folder and applies the methods of ``helpers.methods``.

Every function that needs the trial is given it: ``study`` (:func:`helpers.reanalysis.trial.load`
of the data folder) or the folder itself (``data_dir``). Nothing here falls back on a default
trial. Imports only from ``helpers.methods``, never from ``helpers.build``.

paths, yamlfile, trial, narrative, data, double_entry
    Locations in the project; YAML read without aliases; the trial description
    (``trial.yaml``) and its own prose (``narrative.yaml``); the schema-validated tables, whose
    allowed values come from it; the comparison of the two independent entries.
instruments, scoring_plan
    The project's instrument library (``data/instruments/``, one YAML file per instrument)
    loaded with the instrument model of ``helpers.methods.instruments``; which sections the
    scoring chapter has (what there is to score).
cohort, table_checks, statements, related
    The participant flow, treatment schedules, sample size and text claims; the consistency
    checks applied to each table; the paper's interpreting sentences against its tables; the
    trial's other publications.
wide, baseline_balance, robustness, plausible, chapter
    The arms' summaries in wide form; baseline balance of the trial; its published tests as a
    family and which way is better; samples and rank bounds behind its printed cells; the
    analysis one instrument's chapter shares with the others.
ledger, results, glue
    The trial's claims ledger (its fragments, the combined file, the ledger page); deterministic
    result files; values glued into the book (myst_nb's format, without its import cost).
tables, plots, overview, annotate
    The published tables as printed; the figures; the overview chapter; the annotated tables.
"""
