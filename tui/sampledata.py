"""Where the bundled synthetic school lives."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def sample_dir() -> Path:
    return Path(str(resources.files("zorgoverleg.sample_data")))


def sample_files() -> list[Path]:
    """The export of the synthetic school that ``zorgoverleg demo`` imports."""
    return [sample_dir() / "absences.csv"]
