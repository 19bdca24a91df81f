"""helpers.reanalysis.glue writes what myst_nb's glue writes (the reference is myst_nb itself)."""

import pandas as pd
import pytest
from IPython.core.interactiveshell import InteractiveShell
from IPython.display import Markdown
from IPython.utils.capture import capture_output
from myst_nb import glue as myst_nb_glue

from helpers.reanalysis.glue import glue

VALUES = {
    "an integer": 60,
    "a float": 0.0483,
    "a string": "p = 0.048",
    "markdown": Markdown("**22** of 23"),
    "a table": pd.DataFrame({"scale": ["pain", "fatigue"], "p": [0.01, 0.2]}),
}


@pytest.fixture(scope="module")
def shell():
    return InteractiveShell.instance()


def outputs(function, name, value, display):
    with capture_output() as captured:
        function(name, value, display=display)
    return [(output.data, output.metadata) for output in captured.outputs]


@pytest.mark.parametrize("display", [True, False])
@pytest.mark.parametrize("kind", sorted(VALUES))
def test_same_output_as_myst_nb(shell, kind, display):
    ours = outputs(glue, "key", VALUES[kind], display)
    assert ours == outputs(myst_nb_glue, "key", VALUES[kind], display)
    assert len(ours) == 1 and ours[0][1]["scrapbook"]["name"] == "key"


def test_hidden_values_carry_the_record_prefix(shell):
    (data, _), = outputs(glue, "n", 60, display=False)
    assert set(data) == {"application/papermill.record/text/plain"}
    assert data["application/papermill.record/text/plain"] == "60"


@pytest.mark.parametrize("name", ["", None, 3])
def test_bad_name_is_refused(name):
    with pytest.raises(ValueError, match="glue name"):
        glue(name, 1)
