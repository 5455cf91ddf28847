"""SQL statements, one per file, loaded by name.

Each ``.sql`` file holds one statement with a header comment that lists its
named parameters (``$name``) and the columns it returns.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


@cache
def load(name: str) -> str:
    """Return the text of ``queries/<name>.sql``."""
    return resources.files(__package__).joinpath(f"{name}.sql").read_text(encoding="utf-8")


@cache
def parameters(name: str) -> frozenset[str]:
    """The named parameters a statement uses (comments excluded)."""
    text = "\n".join(line.split("--", 1)[0] for line in load(name).splitlines())
    return frozenset(_PARAM.findall(text))


def names() -> list[str]:
    """All statement names, sorted."""
    return sorted(
        entry.name[:-4]
        for entry in resources.files(__package__).iterdir()
        if entry.name.endswith(".sql")
    )


def bind(name: str, values: dict) -> dict:
    """Pick from ``values`` exactly the parameters statement ``name`` needs."""
    needed = parameters(name)
    missing = needed - values.keys()
    if missing:
        raise KeyError(f"query {name} needs parameters {sorted(missing)}")
    return {key: values[key] for key in needed}
