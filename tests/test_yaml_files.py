"""YAML files are read without aliases (issue 23): a 700-byte trial.yaml whose title nested nine
aliases took 3 GB and 54 s to load, and was accepted. Every YAML file the engine reads now
refuses an alias at its line, before expanding anything."""

import shutil
import subprocess

import pytest

from helpers.build import pipeline
from helpers.reanalysis import instruments, narrative, trial, yamlfile

from conftest import PUBLISHED, ROOT

#: Nine nested aliases, each a list of nine of the one before: 9**9 strings if expanded.
BOMB = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8))


def test_the_bomb_is_small_and_refused_at_its_first_alias():
    assert len(BOMB) < 800
    with pytest.raises(yamlfile.YamlFileError, match=r"x.yaml, line 2, column \d+: an alias"):
        yamlfile.loads(BOMB, "x.yaml")


def test_a_trial_yaml_with_aliases_is_refused(tmp_path):
    folder = tmp_path / "trial"
    shutil.copytree(PUBLISHED, folder, ignore=shutil.ignore_patterns("double_entry"))
    text = (folder / "trial.yaml").read_text(encoding="utf-8")
    (folder / "trial.yaml").write_text(BOMB.replace("a: &a", "x_a: &a") + text, encoding="utf-8")
    with pytest.raises(trial.TrialError, match="trial.yaml, line 2, .*an alias"):
        trial.load(folder)


def test_narrative_and_instrument_files_with_aliases_are_refused(tmp_path):
    (tmp_path / "narrative.yaml").write_text("instruments:\n  X: &x {title: t}\n  Y: *x\n",
                                             encoding="utf-8")
    with pytest.raises(narrative.NarrativeError, match="line 3.*an alias"):
        narrative.load(tmp_path)
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "q.yaml").write_text(BOMB, encoding="utf-8")
    with pytest.raises(instruments.LibraryError, match="q.yaml, line 2.*an alias"):
        instruments.load_library(str(tmp_path / "lib"))


def test_params_yaml_with_aliases_is_refused(tmp_path):
    path = tmp_path / "params.yaml"
    path.write_text("all: &all {data_dir: data/published}\nnotebooks: {cohort: *all}\n",
                    encoding="utf-8")
    with pytest.raises(pipeline.PipelineError, match="params.yaml, line 2.*an alias"):
        pipeline.load_config(path)


def test_every_yaml_file_of_the_project_reads_without_aliases():
    listed = subprocess.run(["git", "ls-files", "*.yaml", "*.yml"], cwd=ROOT, capture_output=True,
                            text=True, check=True).stdout.split()
    files = [ROOT / name for name in listed if (ROOT / name).is_file()]
    assert files
    for path in files:
        yamlfile.loads(path.read_text(encoding="utf-8"), str(path))
