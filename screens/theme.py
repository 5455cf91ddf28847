"""The app's extra theme: high contrast for a projector (theme variables only in the CSS)."""

from __future__ import annotations

from textual.theme import Theme

# Every text colour at least 4.5:1 against what it is drawn on (WCAG AA; tests/test_projector.py
# computes the ratios from these colours), the footer's key letters included.
CONTRAST = Theme(
    name="projector-contrast",
    primary="#FFFF00",
    secondary="#00FFFF",
    accent="#FF66FF",
    warning="#FFFF00",
    error="#FF6666",
    success="#33DD33",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#262626",
    dark=True,
    variables={
        "footer-key-foreground": "#FFFF00",
        "footer-description-foreground": "#FFFFFF",
        "block-cursor-blurred-background": "#444444",
        "block-cursor-blurred-foreground": "#FFFFFF",
    },
)
