"""A step's cache key covers the environment variables that change outputs (issue 23): with a
matplotlibrc in MPLCONFIGDIR, old figures were kept "unchanged"."""

from helpers.build import pipeline


def _key_of_cohort(tmp_path) -> str:
    settings = pipeline.load_steps()
    runs = pipeline.plan(settings, ["01_cohort"], {}, tmp_path / "out", tmp_path / "res")
    return pipeline.step_keys(runs, {"01_cohort": set()}, "python3")["01_cohort"]


def test_a_matplotlib_configuration_changes_the_key(tmp_path, monkeypatch):
    monkeypatch.delenv("MPLCONFIGDIR", raising=False)
    plain = _key_of_cohort(tmp_path)
    config = tmp_path / "mpl"
    config.mkdir()
    monkeypatch.setenv("MPLCONFIGDIR", str(config))
    with_folder = _key_of_cohort(tmp_path)
    (config / "matplotlibrc").write_text("figure.dpi: 50\n")
    with_rc = _key_of_cohort(tmp_path)
    (config / "matplotlibrc").write_text("figure.dpi: 200\n")
    with_other_rc = _key_of_cohort(tmp_path)
    assert len({plain, with_folder, with_rc, with_other_rc}) == 4


def test_the_locale_and_hash_seed_change_the_key(tmp_path, monkeypatch):
    monkeypatch.setenv("PYTHONHASHSEED", "0")
    first = _key_of_cohort(tmp_path)
    monkeypatch.setenv("PYTHONHASHSEED", "1")
    assert _key_of_cohort(tmp_path) != first
    monkeypatch.setenv("LC_ALL", "de_DE.UTF-8")
    assert _key_of_cohort(tmp_path) not in (first,)


def test_an_unrelated_variable_does_not(tmp_path, monkeypatch):
    first = _key_of_cohort(tmp_path)
    monkeypatch.setenv("SOMETHING_ELSE", "x")
    assert _key_of_cohort(tmp_path) == first
