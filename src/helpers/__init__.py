"""Shared code of the Rief et al. 2014 reanalysis.

Every notebook imports from here; no analysis logic lives in notebook cells.

Modules
-------
paths
    Where the project, its data and its results are.
data
    Schema-validated loaders of the transcribed publication (``data/published``).
double_entry
    Comparison of the two independent transcriptions.
tables
    The published tables laid out as the paper prints them.
results
    Deterministic writing of machine-readable results (``results/``).
pipeline
    Executes the numbered notebooks with papermill.
"""

__version__ = "0.1.0"
