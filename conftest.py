"""Loaded by pytest for any test path of the repository (``make test``, and nbval run on the
executed notebooks alone: ``pytest --nbval book/notebooks``).

nbval's kernels, like the pipeline's, are started again when one dies before its first reply (a
busy machine took one of its ports; no cell has run yet): :mod:`helpers.build.kernels`. Here, not
in ``tests/conftest.py``, so that a run of the notebooks alone has it too
(``scripts/stress_test.sh`` found that run failing beside a port-churning process).
"""

import nbval.kernel

from helpers.build import kernels

if not hasattr(nbval.kernel.start_new_kernel, "__wrapped__"):
    nbval.kernel.start_new_kernel = kernels.retrying(nbval.kernel.start_new_kernel)
