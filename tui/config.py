"""Settings: thresholds, weights, import and calendar options from TOML.

The defaults live in ``default_config.toml`` beside this module, each with its
source. A school's file is laid over them; the nearest file wins: ``--config``,
then ``./zorgoverleg.toml``, then ``~/.config/zorgoverleg/config.toml``.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any


class ConfigError(ValueError):
    """A settings file that cannot be used; the message is one Dutch sentence."""


def _merge(base: dict, extra: dict) -> dict:
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _defaults() -> dict:
    text = resources.files(__package__).joinpath("default_config.toml").read_text("utf-8")
    return tomllib.loads(text)


def candidate_paths() -> list[Path]:
    home = Path(os.environ.get("XDG_CONFIG_HOME", Path.home() / ".config"))
    return [Path("zorgoverleg.toml"), home / "zorgoverleg" / "config.toml"]


@dataclass
class Config:
    data: dict[str, Any] = field(default_factory=_defaults)
    source: Path | None = None

    @property
    def thresholds(self) -> dict[str, float]:
        return self.data["thresholds"]

    @property
    def weights(self) -> dict[str, Any]:
        return self.data["weights"]

    def section(self, name: str) -> dict[str, Any]:
        return self.data.get(name, {})

    def grade_weight(self, grade: int) -> float:
        return float(self.weights.get("grade", {}).get(str(grade), 0.0))

    def flag_weight(self, flag: str) -> float:
        own = self.weights.get("team_flags", {})
        return float(own.get(flag, self.weights["team_flag"]))


def load_config(path: str | Path | None = None) -> Config:
    """Defaults with the nearest settings file laid over them."""
    defaults = _defaults()
    chosen: Path | None = None
    if path is not None:
        chosen = Path(path)
        if not chosen.is_file():
            raise ConfigError(f"{chosen}: instellingenbestand niet gevonden; controleer het pad.")
    else:
        chosen = next((p for p in candidate_paths() if p.is_file()), None)
    if chosen is None:
        return Config(defaults, None)
    try:
        extra = tomllib.loads(chosen.read_text("utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{chosen}: geen geldige TOML ({exc}); verbeter het bestand.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{chosen}: kan het bestand niet lezen ({exc}).") from None
    for section in ("thresholds", "weights"):
        for key, value in extra.get(section, {}).items():
            if key not in defaults[section]:
                raise ConfigError(
                    f"{chosen}: onbekende sleutel [{section}] {key}; zie de standaardinstellingen in de README."
                )
            if not isinstance(value, (int, float, dict)) or isinstance(value, bool):
                raise ConfigError(f"{chosen}: [{section}] {key} moet een getal zijn.")
    return Config(_merge(defaults, extra), chosen)
