"""The build: runs the application's notebooks and assembles the book. Imports
``helpers.reanalysis`` (and through it ``helpers.methods``); nothing imports it.

chapters
    Which chapters a trial's book has, planned from its ``trial.yaml``.
locks
    One build at a time per output folder.
kernels
    Starts a kernel again when it dies before its first reply (a busy machine's ports).
pipeline, params, sweep
    Executes the notebooks with papermill as cached, parallel steps; checks their parameters;
    reruns the effect chapters over a grid of the pre-post correlation.
book
    The table of contents, and a whole book per trial under ``build/trials/<folder>/``
    (``make book DATA=FOLDER``).
"""
