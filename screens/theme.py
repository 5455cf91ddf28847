"""The app's extra theme: high contrast for a projector (theme variables only in the CSS)."""

from __future__ import annotations

from textual.theme import Theme

CONTRAST = Theme(
    name="projector-contrast",
    primary="yellow",
    secondary="cyan",
    accent="magenta",
    warning="yellow",
    error="red",
    success="green",
    foreground="white",
    background="black",
    surface="black",
    panel="ansi_bright_black",
    dark=True,
)
