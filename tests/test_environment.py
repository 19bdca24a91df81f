"""pyproject.toml, environment.yml and constraints.txt describe the same pinned environment."""

import re
import tomllib

import yaml

from conftest import ROOT


def _pins(requirements):
    pins = {}
    for requirement in requirements:
        match = re.fullmatch(r"([A-Za-z0-9_.\-]+)==([^\s;#]+)", requirement.strip())
        assert match, f"not pinned exactly: {requirement!r}"
        pins[match[1].lower().replace("_", "-")] = match[2]
    return pins


def _pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime = _pins(project["dependencies"])
    test = _pins(project["optional-dependencies"]["test"])
    return runtime, test


def test_pyproject_pins_every_dependency_exactly():
    runtime, test = _pyproject()
    assert {"jupyterlab", "pandas", "scipy", "seaborn", "pingouin", "papermill",
            "jupyter-book"} <= set(runtime)
    assert {"pytest", "nbval", "hypothesis"} <= set(test)
    assert runtime["jupyter-book"].startswith("1."), "Jupyter Book 2 needs the network to build"


def test_environment_yml_names_the_same_packages_and_versions():
    runtime, test = _pyproject()
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert "conda-forge" in environment["channels"]
    conda = [d for d in environment["dependencies"] if isinstance(d, str)]
    conda = [d for d in conda if not re.match(r"(python|pip)(=|$)", d)]
    assert _pins(conda) == {**runtime, **test}
    python = next(d for d in environment["dependencies"] if isinstance(d, str)
                  and d.startswith("python="))
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    assert requires == ">=" + python.split("=")[1]


def _normal(name):
    return re.sub(r"[-_.]+", "-", name).lower()


#: installed beside the pins by the installers themselves, not by the project
INSTALLERS = {"pip", "setuptools", "wheel", "uv"}


def _locked_and_installed():
    import importlib.metadata

    lines = [line for line in (ROOT / "constraints.txt").read_text().splitlines()
             if line and not line.startswith("#")]
    locked = {_normal(name): version for name, version in _pins(lines).items()}
    installed = {_normal(d.metadata["Name"]): d.version
                 for d in importlib.metadata.distributions()}
    return locked, installed


def test_installed_versions_are_the_pins():
    """What make installed (with uv, or pip as the fallback) is every package of constraints.txt
    at exactly its pinned version."""
    locked, installed = _locked_and_installed()
    wrong = {name: (version, installed.get(name)) for name, version in locked.items()
             if installed.get(name) != version}
    assert not wrong, f"installed versions differ from constraints.txt (pinned, installed): {wrong}"


def test_nothing_unpinned_is_installed():
    """Nor anything that constraints.txt does not pin, but the project and the installers (a
    package installed into .venv by hand shows here: add it to pyproject.toml and run
    `make lock`, or uninstall it)."""
    locked, installed = _locked_and_installed()
    project = _normal(tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["name"])
    extra = sorted(set(installed) - set(locked) - INSTALLERS - {project})
    assert not extra, f"installed but not pinned in constraints.txt: {extra}"


def test_constraints_agree_with_pyproject():
    runtime, test = _pyproject()
    lines = [line for line in (ROOT / "constraints.txt").read_text().splitlines()
             if line and not line.startswith("#")]
    locked = _pins(lines)
    for name, version in {**runtime, **test}.items():
        assert locked.get(name) == version, f"{name}: pyproject {version}, constraints {locked.get(name)}"
