"""The layers of src/helpers: methods know no trial and import nothing above them; there is no
trial in use by default; build code names no chapter of this trial.

import-linter checks the import rule too (``make test`` runs ``lint-imports`` first); these tests
give readable messages, and check what a linter cannot: the trial's names typed in the methods.
The names come from the data (data/published/trial.yaml, data/instruments/*.yaml) and a
short list typed here, never from the code under test. Files are read with ``ast`` and as text.
"""

import ast
import re

import pytest
import yaml

from conftest import PUBLISHED, ROOT

PACKAGE = ROOT / "src" / "helpers"
LAYERS = ("methods", "reanalysis", "build")  # from the bottom up
#: Words of this trial and paper that no method may contain, besides those read from the data.
TYPED = ("Rief", "radiotherapy", "psychosocial", "Table 1", "Table 2", "Table 3", "Table 4",
         "Table 5")


def _modules(layer):
    return sorted((PACKAGE / layer).rglob("*.py"))


def _trial_names():
    """This trial's names, from its data folder and the instrument library."""
    trial = yaml.safe_load((PUBLISHED / "trial.yaml").read_text(encoding="utf-8"))
    library = [yaml.safe_load(path.read_text(encoding="utf-8"))
               for path in sorted((ROOT / "data" / "instruments").glob("*.yaml"))]
    names = {trial["id"], *TYPED}
    names |= {arm["label"] for arm in trial["arms"]}
    for instrument in trial["instruments"]:
        names |= {instrument["id"], instrument["label"], *instrument["scales"]}
    used = {instrument["id"] for instrument in trial["instruments"]}
    for entry in library:  # the library's facts of this trial's instruments, not of the others
        if entry["id"] in used:
            names |= {entry["id"], *(scale["id"] for scale in entry["scales"])}
    return sorted(names)


def _pattern(name):
    """A whole-word match: case-insensitive, except a paper's table ("Table 1", not "Table 10")."""
    word = r"(?<![A-Za-z0-9])" + re.escape(name) + r"(?![A-Za-z0-9])"
    return re.compile(word) if name.startswith("Table ") else re.compile(word, re.IGNORECASE)


def test_the_names_come_from_the_data():
    names = _trial_names()
    assert {"rief2014", "BM22", "FA13", "QSCR10", "EORTC QLQ-BM22", "painful_sites", "distress",
            "resistance training", "passive physiotherapy"} <= set(names)


@pytest.mark.parametrize("path", _modules("methods"), ids=lambda p: p.name)
def test_no_name_of_this_trial_in_the_methods(path):
    text = path.read_text(encoding="utf-8")
    found = [f"line {text.count(chr(10), 0, match.start()) + 1}: {match.group(0)!r}"
             for name in _trial_names() for match in _pattern(name).finditer(text)]
    assert not found, (f"{path.relative_to(ROOT)} names this trial (a method takes such names as "
                       f"arguments): {', '.join(found[:10])}")


def _imported_code(code, package):
    """Every module ``code`` imports (at the top or inside a function), relative imports resolved
    against ``package`` (its parts), with the line: ``[(line, "helpers.reanalysis.trial"), ...]``
    (``from x import y`` gives ``x.y``: y may be a module)."""
    found = []
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                module = ".".join(package[:len(package) - node.level + 1] +
                                  ([module] if module else []))
            found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names]
    return found


def _imported(path):
    """:func:`_imported_code` of a module of the package."""
    package = list(path.relative_to(PACKAGE.parent).parts[:-1])
    return _imported_code(path.read_text(encoding="utf-8"), package)


@pytest.mark.parametrize("layer", LAYERS)
def test_imports_point_down(layer):
    above = [f"helpers.{name}" for name in LAYERS[LAYERS.index(layer) + 1:]]
    wrong = [f"{path.relative_to(ROOT)}:{line} imports {module}"
             for path in _modules(layer) for line, module in _imported(path)
             if any(module == a or module.startswith(a + ".") for a in above)]
    assert not wrong, f"helpers.{layer} may not import {' or '.join(above)}: {wrong}"


def test_the_import_check_sees_relative_and_function_body_imports():
    code = "def f():\n    from ..reanalysis import trial\n    import helpers.build.params\n"
    assert [m for _, m in _imported_code(code, ["helpers", "methods"])] == [
        "helpers.reanalysis.trial", "helpers.build.params"]


def test_no_trial_in_use():
    from helpers.reanalysis import paths, trial

    assert not hasattr(paths, "use_data_dir") and not hasattr(paths, "_in_use")
    assert not hasattr(trial, "use")
    assert not hasattr(paths, "DEFAULT_DATA_DIR")
    with pytest.raises(TypeError, match="data folder is needed"):
        paths.data_dir(None)


def test_sub_packages_import_nothing_and_modules_declare_all():
    for layer in ("", *LAYERS):
        init = PACKAGE / layer / "__init__.py"
        assert not _imported(init), f"{init.relative_to(ROOT)} imports on import"
    for path in (p for layer in LAYERS for p in _modules(layer) if p.name != "__init__.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        assigned = [node for node in tree.body if isinstance(node, ast.Assign)
                    and any(getattr(t, "id", "") == "__all__" for t in node.targets)]
        assert assigned, f"{path.relative_to(ROOT)} has no __all__"


def test_no_module_uses_another_modules_private_names():
    wrong = []
    for path in (p for layer in LAYERS for p in _modules(layer)):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        modules = {alias.asname or alias.name for node in ast.walk(tree)
                   if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "")
                                                           .startswith("helpers"))
                   for alias in node.names}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "")
                                                     .startswith("helpers")):
                wrong += [f"{path.name}: from {node.module} import {a.name}"
                          for a in node.names if a.name.startswith("_")]
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                    and node.value.id in modules and node.attr.startswith("_") \
                    and not node.attr.startswith("__"):
                wrong.append(f"{path.name}:{node.lineno}: {node.value.id}.{node.attr}")
    assert not wrong, wrong


def test_build_names_no_chapter_of_this_trial():
    """The sweep's notebooks and files are named in params.yaml, not in the build's code."""
    config = yaml.safe_load((ROOT / "notebooks" / "params.yaml").read_text(encoding="utf-8"))
    names = [n for n in (*config["notebooks"], *config["sweep"]["files"]) if re.match(r"\w+_", n)]
    assert names
    for path in _modules("build"):
        text = path.read_text(encoding="utf-8")
        assert not [n for n in names if n in text], path.name
