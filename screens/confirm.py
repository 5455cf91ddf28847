"""A yes/no question before something that cannot be undone by accident (closing a meeting,
deleting an agreement, taking a pupil out of the minutes). Enter or `j` confirms, Esc or `n` cancels."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class ConfirmScreen(ModalScreen[bool]):
    """Dismisses with True (confirmed) or False."""

    DEFAULT_CSS = """
    ConfirmScreen {
        align: center middle;
    }
    ConfirmScreen #confirm-box {
        width: 72;
        max-width: 100%;
        height: auto;
        border: round $warning;
        background: $surface;
        padding: 1 2;
    }
    ConfirmScreen #confirm-question {
        text-style: bold;
        margin-bottom: 1;
    }
    ConfirmScreen #confirm-detail {
        color: $text-muted;
        margin-bottom: 1;
    }
    ConfirmScreen #confirm-buttons {
        height: auto;
    }
    ConfirmScreen Button {
        margin-right: 2;
    }
    """
    BINDINGS = [
        Binding("escape,n", "answer(False)", "Annuleren", id="confirm_no"),
        Binding("j,y", "answer(True)", "Ja", id="confirm_yes", show=False),
    ]
    AUTO_FOCUS = "#confirm-yes"

    def __init__(self, question: str, detail: str = "", yes: str = "Ja") -> None:
        super().__init__()
        self.question = question
        self.detail = detail
        self.yes = yes

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Static(Text(self.question), id="confirm-question")
            if self.detail:
                yield Static(Text(self.detail), id="confirm-detail")
            with Horizontal(id="confirm-buttons"):
                yield Button(f"{self.yes} (Enter)", id="confirm-yes", variant="warning")
                yield Button("Annuleren (Esc)", id="confirm-no")

    @on(Button.Pressed, "#confirm-yes")
    def _yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#confirm-no")
    def _no(self) -> None:
        self.dismiss(False)

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
