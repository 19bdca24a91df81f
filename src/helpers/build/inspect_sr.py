"""Write a trial's INSPECT-SR assessment (``inspect_sr.csv``) from its data folder and results.

``python -m helpers.build.inspect_sr --data-dir DATA --results-dir RESULTS --out FOLDER`` reads the
ledger and results tables of ``RESULTS`` and the facts of ``DATA``
(:mod:`helpers.reanalysis.inspect_sr`) and writes ``FOLDER/inspect_sr.csv``. ``FOLDER`` may be
``results/`` (the published trial's results) or any folder the repository does not track; any
other tracked folder is refused (:func:`helpers.build.pipeline.check_not_tracked`). The command
lives in the build layer because only it may use the pipeline's guard (``helpers.reanalysis``
must not import ``helpers.build``).

Examples
--------
>>> import tempfile
>>> folder = tempfile.mkdtemp()
>>> main(["--data-dir", "data/published", "--results-dir", "results", "--out", folder])
... # doctest: +ELLIPSIS
wrote .../inspect_sr.csv
0
>>> main(["--data-dir", "data/published", "--results-dir", "results", "--out", "data"])
1
"""

from __future__ import annotations

import argparse
import sys

from ..reanalysis import inspect_sr, paths
from .pipeline import PipelineError, check_not_tracked

__all__ = ["allowed_out", "main"]

#: The one tracked folder the assessment may be written into.
RESULTS = "results"


def allowed_out(folder: str) -> None:
    """Refuse ``folder`` when it is tracked by the repository, unless it is ``results/``.

    Examples
    --------
    >>> allowed_out("results"), allowed_out("build/trials/x")
    (None, None)
    >>> allowed_out("book")
    Traceback (most recent call last):
    ...
    helpers.build.pipeline.PipelineError: --out book: inside book/, which the repository tracks; a run's own output goes elsewhere (e.g. runs/mine)
    """
    if paths.resolve(folder).resolve() == paths.resolve(RESULTS).resolve():
        return None
    check_not_tracked(folder, "--out")
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers.build.inspect_sr",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", required=True, help="the trial's data folder")
    parser.add_argument("--results-dir", required=True,
                        help="the folder of the trial's ledger.csv and results tables")
    parser.add_argument("--out", required=True, help="where inspect_sr.csv goes")
    args = parser.parse_args(argv)
    try:
        allowed_out(args.out)
        path = inspect_sr.write(args.data_dir, args.results_dir, args.out)
    except (PipelineError, ValueError, OSError) as error:
        print(f"ERROR: {error}", file=sys.stderr)
        return 1
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
