"""Textual's Header with its one English word (the icon's tooltip) in Dutch."""

from __future__ import annotations

from textual.widgets import Header


class DutchHeader(Header):
    ICON_TOOLTIP = "Het commandopalet openen"

    def on_mount(self) -> None:
        # HeaderIcon sets its English tooltip on its own mount; ours comes after.
        self.call_after_refresh(self._set_icon_tooltip)

    def _set_icon_tooltip(self) -> None:
        for icon in self.query("HeaderIcon"):  # by CSS type: the class itself is not public
            if icon.tooltip:
                icon.tooltip = self.ICON_TOOLTIP
