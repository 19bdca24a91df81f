"""Shared code of the reanalysis, in three layers; each imports only from the layers below it.

Every notebook imports from here; no analysis logic lives in notebook cells. Nothing about one
trial is typed in the methods: a trial lives in its data folder (``trial.yaml`` and the tables),
so the same notebooks run on another trial's folder (``-p data_dir``). The layers are a contract
that ``lint-imports`` checks (``pyproject.toml``'s ``[tool.importlinter]``, run by ``make test``):

``helpers.build``
    Running things: the pipeline that executes the notebooks with papermill (parallel, cached),
    the notebooks' parameters, the correlation sweep.
``helpers.reanalysis``
    The application: reads a trial's data folder and the project's files, applies the methods to
    them and writes the results. Every function that needs the trial is given it (``study``, or
    its folder ``data_dir``); there is no trial in use by default.
``helpers.methods``
    Statistical and consistency methods that know nothing about any trial, paper, data folder or
    file layout: plain values and data frames in, data frames out.

Sub-packages import nothing on import (each notebook execution pays for what it imports):
import the modules you use, ``from helpers.reanalysis import data, trial``.
"""

__version__ = "0.1.0"
