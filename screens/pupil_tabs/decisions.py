"""Tab 3 of the pupil screen: the decisions (pivot, channel, review, phase, escalations, agreements).

The widget edits the ``PupilMinutes`` it shows and posts ``DecisionsTab.Changed`` after every edit;
the screen saves the minutes.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Checkbox, DataTable, Input, Label, Select, Static, TextArea

from zorgoverleg import minutes as m
from zorgoverleg.signal_registry import recommended_escalations
from zorgoverleg.text import visible


class ActionTable(DataTable):
    """The agreements; ``space`` (binding id ``done``) ticks the agreement under the cursor done or not."""

    BINDINGS = [Binding("space", "toggle_done", "Gedaan aan/uit", id="done")]

    class Toggled(Message):
        """The agreement in row ``row`` was ticked done or not done."""

        def __init__(self, row: int) -> None:
            super().__init__()
            self.row = row

    def action_toggle_done(self) -> None:
        self.post_message(self.Toggled(self.cursor_row))


class DecisionsTab(VerticalScroll):
    """What the team decides for one pupil."""

    DEFAULT_CSS = """
    DecisionsTab .row {
        height: auto;
    }
    DecisionsTab .cell {
        width: 1fr;
        height: auto;
    }
    DecisionsTab #d-escalations {
        layout: grid;
        grid-size: 2;
        grid-rows: 3;
        height: auto;
    }
    DecisionsTab #d-escalations Checkbox {
        width: 1fr;
    }
    DecisionsTab #d-escalations Checkbox.recommended {
        color: $warning;
    }
    DecisionsTab #d-recommended {
        color: $warning;
    }
    DecisionsTab #d-decisions {
        height: 4;
    }
    DecisionsTab #d-action-form Input {
        width: 1fr;
    }
    DecisionsTab #d-actions {
        height: auto;
        max-height: 10;
    }
    DecisionsTab Input.invalid {
        border: tall $error;
    }
    """

    class Changed(Message):
        """A decision changed; ``field`` is the minutes field (``pivot``, ``phase``, ``actions``, …)."""

        def __init__(self, field: str) -> None:
            super().__init__()
            self.field = field

    def __init__(self, today: date, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.today = today
        self.minutes: m.PupilMinutes | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(classes="row"):
            with Vertical(classes="cell"):
                yield Label("Spilfiguur")
                yield Input(id="d-pivot", placeholder="wie houdt contact en coördineert")
            with Vertical(classes="cell"):
                yield Label("Communicatiekanaal")
                yield Input(id="d-channel", placeholder="telefoon, mail, gesprek…")
        with Horizontal(classes="row"):
            with Vertical(classes="cell"):
                yield Label("Volgende evaluatie (JJJJ-MM-DD)")
                yield Input(id="d-review")
            with Vertical(classes="cell"):
                yield Label("Fase zorgcontinuüm")
                yield Select([(f"{k} {v}", k) for k, v in m.PHASES.items()], id="d-phase", prompt="kies een fase")
        yield Label("Escalaties")
        with Horizontal(id="d-escalations"):
            for key, label in m.ESCALATIONS.items():
                yield Checkbox(label, id=f"esc-{key}", classes="escalation")
        yield Static("", id="d-recommended")
        yield Label("Beslissingen (één per regel)")
        yield TextArea(id="d-decisions")
        yield Label("Afspraken: wat, wie, tegen wanneer (Enter voegt toe; spatie in de tabel: gedaan)")
        with Horizontal(classes="row", id="d-action-form"):
            yield Input(id="a-what", placeholder="wat")
            yield Input(id="a-who", placeholder="wie")
            yield Input(id="a-due", placeholder="JJJJ-MM-DD")
        yield ActionTable(id="d-actions", cursor_type="row")

    def on_mount(self) -> None:
        table = self.query_one("#d-actions", DataTable)
        table.add_column("", key="done", width=2)
        table.add_column("Wat", key="what")
        table.add_column("Wie", key="who", width=16)
        table.add_column("Tegen", key="due", width=10)

    def show(self, minutes: m.PupilMinutes, fired: Iterable[str]) -> None:
        """Show the decisions of ``minutes``; ``fired`` (signal ids) marks the escalations they call for."""
        self.minutes = minutes
        fired = set(fired)
        with self.prevent(Input.Changed, TextArea.Changed, Select.Changed, Checkbox.Changed):
            self.query_one("#d-pivot", Input).value = minutes.pivot
            self.query_one("#d-channel", Input).value = minutes.channel
            self.query_one("#d-review", Input).value = minutes.next_review.isoformat() if minutes.next_review else ""
            if minutes.phase is not None:
                self.query_one("#d-phase", Select).value = minutes.phase
            self.query_one("#d-decisions", TextArea).text = visible("\n".join(minutes.decisions), multiline=True)
            reasons = recommended_escalations(sorted(fired), [f.flag for f in minutes.flags])
            recommended = []
            for key in m.ESCALATIONS:
                box = self.query_one(f"#esc-{key}", Checkbox)
                box.value = key in minutes.escalations
                if key in reasons:
                    box.add_class("recommended")
                    recommended.append(f"{m.ESCALATIONS[key]}: {reasons[key]}.")
            self.query_one("#d-recommended", Static).update(
                Text("\n".join(["Aanbevolen:", *recommended])) if recommended else ""
            )
        self.refresh_actions()

    def focus_first(self) -> None:
        self.query_one("#d-pivot", Input).focus()

    def refresh_actions(self) -> None:
        if self.minutes is None:
            return
        table = self.query_one("#d-actions", DataTable)
        table.clear()
        for number, action in enumerate(self.minutes.actions):
            overdue = action.due is not None and action.due < self.today and not action.done
            what = visible(action.what) + (f"  (sinds {action.since:%d/%m})" if action.since else "")
            table.add_row(Text("✓" if action.done else ("!" if overdue else "○")), Text(what), Text(visible(action.who)),
                          Text(action.due.strftime("%d/%m/%Y") if action.due else ""), key=str(number))

    def _changed(self, field: str) -> None:
        self.post_message(self.Changed(field))

    @on(Input.Changed, "#d-pivot, #d-channel, #d-review")
    def _input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self.minutes is None:
            return
        if event.input.id == "d-pivot":
            self.minutes.pivot = event.value.strip()
            self._changed("pivot")
        elif event.input.id == "d-channel":
            self.minutes.channel = event.value.strip()
            self._changed("channel")
        else:
            try:
                self.minutes.next_review = date.fromisoformat(event.value.strip())
            except ValueError:
                event.input.add_class("invalid")
                return
            event.input.remove_class("invalid")
            self._changed("next_review")

    @on(Select.Changed, "#d-phase")
    def _phase_changed(self, event: Select.Changed) -> None:
        event.stop()
        if self.minutes is None:
            return
        self.minutes.phase = event.value if isinstance(event.value, int) else None
        self._changed("phase")

    @on(Checkbox.Changed, ".escalation")
    def _escalation_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        if self.minutes is None:
            return
        key = (event.checkbox.id or "")[len("esc-"):]
        if event.value and key not in self.minutes.escalations:
            self.minutes.escalations.append(key)
        elif not event.value and key in self.minutes.escalations:
            self.minutes.escalations.remove(key)
        self._changed("escalations")

    @on(TextArea.Changed, "#d-decisions")
    def _decisions_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        if self.minutes is None:
            return
        self.minutes.decisions = [line.strip() for line in event.text_area.text.splitlines() if line.strip()]
        self._changed("decisions")

    @on(ActionTable.Toggled)
    def _action_toggled(self, event: ActionTable.Toggled) -> None:
        event.stop()
        actions = self.minutes.actions if self.minutes is not None else []
        if 0 <= event.row < len(actions):
            actions[event.row].done = not actions[event.row].done
            self.refresh_actions()
            self.query_one("#d-actions", DataTable).move_cursor(row=event.row)
            self._changed("actions")

    @on(Input.Submitted, "#a-what, #a-who, #a-due")
    def _add_action(self, event: Input.Submitted) -> None:
        event.stop()
        what = self.query_one("#a-what", Input)
        who = self.query_one("#a-who", Input)
        due = self.query_one("#a-due", Input)
        if event.input is what and not who.value:
            who.focus()
            return
        if event.input is who and not due.value:
            due.focus()
            return
        if not what.value.strip() or self.minutes is None:
            what.focus()
            return
        when = None
        if due.value.strip():
            try:
                when = date.fromisoformat(due.value.strip())
            except ValueError:
                self.notify("Schrijf de datum als JJJJ-MM-DD, bv. 2026-03-27.", severity="warning")
                due.focus()
                return
        self.minutes.actions.append(m.Action(what.value.strip(), who.value.strip(), when))
        with self.prevent(Input.Changed):
            what.value = who.value = due.value = ""
        self.refresh_actions()
        self._changed("actions")
        what.focus()
