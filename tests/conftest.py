"""Shared fixtures. Tests run from any folder: paths come from the project root."""

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PUBLISHED = ROOT / "data" / "published"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def transcription(tmp_path):
    """A scratch copy of data/published that a test may break."""
    folder = tmp_path / "published"
    shutil.copytree(PUBLISHED, folder, ignore=shutil.ignore_patterns("double_entry"))
    return folder
