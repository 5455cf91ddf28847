"""A checkbox whose state shows in its glyph (☑ / ☐), not only in its colour."""

from __future__ import annotations

from textual.content import Content
from textual.geometry import Size
from textual.widgets import Checkbox

ON, OFF = "☑", "☐"


class TickBox(Checkbox):
    """Textual's ``Checkbox`` draws ``▐X▌`` in both states; this one draws ☑ or ☐ (readable without
    colour, on a projector and with ``NO_COLOR``)."""

    def render(self) -> Content:
        label_style = self.get_visual_style("toggle--label")
        glyph = Content.styled(ON if self.value else OFF, "bold")
        return Content.assemble(glyph, self.label.pad(1, 1)).stylize_before(label_style)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return 1 + (2 if self.label else 0) + self.label.cell_length
