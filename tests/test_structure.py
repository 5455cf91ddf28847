"""The shape of the package: the core never imports Textual, and the installed names are ours only."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
UI_MODULES = {"app", "bench", "__main__"}  # the app, and the bench that drives it headless
CORE = sorted(p.stem for p in (ROOT / "tui").glob("*.py") if p.stem not in UI_MODULES | {"__init__"})


@pytest.mark.parametrize("module", CORE)
def test_core_module_never_imports_textual(module: str) -> None:
    code = (
        f"import sys, importlib; importlib.import_module('zorgoverleg.{module}'); "
        "sys.exit(1 if any(m == 'textual' or m.startswith('textual.') for m in sys.modules) else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd="/", capture_output=True, text=True)
    assert result.returncode == 0, f"zorgoverleg.{module} imports Textual: {result.stderr}"


def test_installed_package_has_no_generic_top_level_names() -> None:
    code = "import importlib.util as u; print([n for n in ('tui', 'screens', 'queries', 'sample_data') if u.find_spec(n)])"
    result = subprocess.run([sys.executable, "-c", code], cwd="/", capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_python_dash_m_and_version() -> None:
    result = subprocess.run([sys.executable, "-m", "zorgoverleg", "--version"], cwd="/", capture_output=True, text=True)
    assert result.returncode == 0
    assert result.stdout.startswith("zorgoverleg ")
