"""Glue a value into an executed notebook for the book, as ``myst_nb.glue`` does.

Why not ``from myst_nb import glue``: importing it imports ``nbformat``, hence ``jsonschema``,
whose optional IRI format checker (``rfc3987_syntax``) compiles 38 grammars on import. That costs
about 1.3 s in every kernel, a third of an import-only notebook, for a function that needs none
of it. This module writes the same output (a display message with ``scrapbook`` metadata, mime
types prefixed with ``application/papermill.record/`` when the value is not displayed), which
Jupyter Book's ``{glue}`` roles read; ``tests/test_glue.py`` checks it against myst_nb's own
``glue`` for every kind of value the notebooks glue.

Examples
--------
>>> from helpers.reanalysis.glue import glue
>>> glue("n_randomised", 60, display=False)  # outside a kernel this displays nothing
"""

from __future__ import annotations

from typing import Any

__all__ = ["GLUE_PREFIX", "glue"]

#: myst_nb's prefix for glued values that are stored but not shown (``myst_nb.ext.glue``).
GLUE_PREFIX = "application/papermill.record/"


def glue(name: str, variable: Any, display: bool = True) -> None:
    """Store ``variable``'s display representations under ``name`` in the cell's outputs.

    Parameters
    ----------
    name : str
        The key the book refers to, e.g. ``{glue:text}`\\`name:.2f\\```.
    variable : object
        Any object IPython can display (numbers, strings, DataFrames, figures).
    display : bool
        Show the value in the notebook as well (default); ``False`` only stores it.
    """
    if not isinstance(name, str) or not name:
        raise ValueError(f"a glue name must be a non-empty string, not {name!r}")
    from IPython.core.formatters import format_display_data
    from IPython.display import display as ipython_display

    bundle, metadata = format_display_data(variable)
    prefix = "" if display else GLUE_PREFIX
    metadata["scrapbook"] = {"name": name, "mime_prefix": prefix}
    ipython_display({prefix + mime: value for mime, value in bundle.items()}, raw=True,
                    metadata=metadata)
