"""Settings: thresholds, weights, import and calendar options from TOML.

The defaults live in ``default_config.toml`` beside this module, each with its
source. A school's file is laid over them; the nearest file wins: ``--config``,
then ``./zorgoverleg.toml``, then ``config.toml`` in the user's settings folder (``~/.config/zorgoverleg`` on Linux).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import platformdirs


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


def user_config_dir() -> Path:
    """The user's settings folder: ~/.config/zorgoverleg on Linux (or under $XDG_CONFIG_HOME),
    the platform's own place elsewhere."""
    return Path(platformdirs.user_config_dir("zorgoverleg", appauthor=False))


def candidate_paths() -> list[Path]:
    return [Path("zorgoverleg.toml"), user_config_dir() / "config.toml"]


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
    _check(chosen, defaults, extra)
    return Config(_merge(defaults, extra), chosen)


def _number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _check(chosen: Path, defaults: dict, extra: dict) -> None:
    """Refuse values the program cannot use, with one Dutch sentence (never a traceback later)."""
    for section in ("thresholds", "weights", "import", "calendar"):
        if not isinstance(extra.get(section, {}), dict):
            raise ConfigError(f"{chosen}: [{section}] moet een tabel zijn; zie de standaardinstellingen in de README.")
    for section in ("thresholds", "weights"):
        for key, value in extra.get(section, {}).items():
            if key not in defaults[section]:
                raise ConfigError(
                    f"{chosen}: onbekende sleutel [{section}] {key}; zie de standaardinstellingen in de README."
                )
            if isinstance(defaults[section][key], dict):
                if not isinstance(value, dict) or not all(_number(v) for v in value.values()):
                    raise ConfigError(f"{chosen}: [{section}.{key}] moet per sleutel een getal geven.")
            elif not _number(value):
                raise ConfigError(f"{chosen}: [{section}] {key} moet een getal zijn.")
    for key, value in extra.get("import", {}).items():
        if key in defaults.get("import", {}) and (not isinstance(value, int) or isinstance(value, bool) or value < 1):
            raise ConfigError(f"{chosen}: [import] {key} moet een geheel getal van minstens 1 zijn.")
    if "free_days" in extra.get("calendar", {}):
        from zorgoverleg.calendar import parse_free_days

        try:
            parse_free_days(extra["calendar"]["free_days"])
        except ValueError as exc:
            raise ConfigError(f"{chosen}: [calendar] free_days: {str(exc).rstrip('.')}.") from None
