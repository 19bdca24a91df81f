"""One build at a time per output folder (issue 23): a second build that would write a folder
another build is writing stops at once, naming the holder, and writes nothing."""

import subprocess
import sys
import time

import pytest

from helpers.build import locks, pipeline

from conftest import ROOT

HOLD = """
import sys, time
from helpers.build import locks
with locks.exclusive([sys.argv[1]]):
    print("held", flush=True)
    time.sleep(60)
"""


@pytest.fixture
def held(tmp_path):
    """A folder whose lock another process holds (as a running build would)."""
    folder = tmp_path / "out"
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(folder)], cwd=ROOT,
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    yield folder, holder
    holder.kill()
    holder.wait()


def test_a_second_build_of_the_same_folder_stops_naming_the_holder(held):
    folder, holder = held
    with pytest.raises(pipeline.PipelineError, match=f"another build is writing .*pid {holder.pid}"):
        pipeline.build(["01"], {}, folder, folder / "results", use_cache=False)
    assert not (folder / "01_cohort.ipynb").exists()
    assert not (folder / "results").exists() or not any((folder / "results").iterdir())


def test_the_lock_goes_with_its_process(held):
    folder, holder = held
    holder.kill()
    holder.wait()
    with locks.exclusive([folder]):  # a killed build leaves no stale lock
        pass


def test_two_folders_are_locked_together_and_released(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    with locks.exclusive([first, second]):
        with pytest.raises(locks.BuildLocked, match="another build is writing"):
            with locks.exclusive([second]):
                pass
    with locks.exclusive([second]):
        pass
    assert (first / locks.LOCK_FILE).read_text() == ""  # released: no holder recorded
