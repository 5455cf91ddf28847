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
from zorgoverleg.dates import EXAMPLE, DateError, format_date, parse_date, short_date
from zorgoverleg.screens.tickbox import TickBox
from zorgoverleg.signal_registry import recommended_escalations
from zorgoverleg.text import visible


class ActionTable(DataTable):
    """The agreements: ``space`` (binding id ``done``) ticks the agreement under the cursor done or not,
    ``enter`` (``edit_action``) puts it in the form to edit it, ``delete`` (``delete_action``) asks to delete it."""

    BINDINGS = [
        Binding("space", "toggle_done", "Gedaan aan/uit", id="done"),
        Binding("enter", "edit", "Bewerken", id="edit_action"),
        Binding("delete,backspace", "delete", "Schrappen", id="delete_action"),
    ]

    class Toggled(Message):
        """The agreement in row ``row`` was ticked done or not done."""

        def __init__(self, row: int) -> None:
            super().__init__()
            self.row = row

    class EditRequested(Message):
        """The agreement in row ``row`` should go into the form."""

        def __init__(self, row: int) -> None:
            super().__init__()
            self.row = row

    class DeleteRequested(Message):
        """The agreement in row ``row`` should be deleted (after a confirmation)."""

        def __init__(self, row: int) -> None:
            super().__init__()
            self.row = row

    def action_toggle_done(self) -> None:
        self.post_message(self.Toggled(self.cursor_row))

    def action_edit(self) -> None:
        self.post_message(self.EditRequested(self.cursor_row))

    def action_delete(self) -> None:
        self.post_message(self.DeleteRequested(self.cursor_row))


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
    DecisionsTab .date-error {
        color: $error;
        height: auto;
    }
    DecisionsTab .date-error.-empty {
        display: none;
    }
    DecisionsTab #a-mode {
        color: $text-muted;
        height: auto;
    }
    DecisionsTab .earlier {
        color: $text-muted;
    }
    """

    class DeleteAsked(Message):
        """The team asked to delete ``action``: the screen confirms, then calls ``delete_action``."""

        def __init__(self, action: m.Action) -> None:
            super().__init__()
            self.action = action

    class Changed(Message):
        """A decision changed; ``field`` is the minutes field (``pivot``, ``phase``, ``actions``, …)."""

        def __init__(self, field: str) -> None:
            super().__init__()
            self.field = field

    #: Field labels; a value still as the dossier prefilled it gets " · vorige keer, dd/mm".
    LABELS = {"pivot": "Spilfiguur", "channel": "Communicatiekanaal",
              "next_review": "Volgende evaluatie", "phase": "Fase zorgcontinuüm",
              "escalations": "Escalaties", "decisions": "Beslissingen (één per regel)"}

    def __init__(self, today: date, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.today = today          # the meeting's day: overdue marks, and the year of "d/m" dates
        self.minutes: m.PupilMinutes | None = None
        self.baseline: m.PupilMinutes | None = None
        self.noted: date | None = None
        self.locked = False
        self.editing: str | None = None  # id of the agreement in the form, None: a new one

    def compose(self) -> ComposeResult:
        with Horizontal(classes="row"):
            with Vertical(classes="cell"):
                yield Label(self.LABELS["pivot"], id="l-pivot")
                yield Input(id="d-pivot", placeholder="wie houdt contact en coördineert", select_on_focus=False)
            with Vertical(classes="cell"):
                yield Label(self.LABELS["channel"], id="l-channel")
                yield Input(id="d-channel", placeholder="telefoon, mail, gesprek…", select_on_focus=False)
        with Horizontal(classes="row"):
            with Vertical(classes="cell"):
                yield Label(self.LABELS["next_review"], id="l-next_review")
                yield Input(id="d-review", placeholder=EXAMPLE, select_on_focus=False)
                yield Static("", id="d-review-error", classes="date-error -empty")
            with Vertical(classes="cell"):
                yield Label(self.LABELS["phase"], id="l-phase")
                yield Select([(f"{k} {v}", k) for k, v in m.PHASES.items()], id="d-phase", prompt="kies een fase")
        yield Label(self.LABELS["escalations"], id="l-escalations")
        with Horizontal(id="d-escalations"):
            for key, label in m.ESCALATIONS.items():
                yield TickBox(label, id=f"esc-{key}", classes="escalation")
        yield Static("", id="d-recommended")
        yield Label(self.LABELS["decisions"], id="l-decisions")
        yield TextArea(id="d-decisions")
        yield Label("Afspraken: wat, wie, tegen wanneer (Enter voegt toe). In de tabel: spatie gedaan, "
                    "Enter bewerken, Delete schrappen.")
        with Horizontal(classes="row", id="d-action-form"):
            yield Input(id="a-what", placeholder="wat", select_on_focus=False)
            yield Input(id="a-who", placeholder="wie", select_on_focus=False)
            yield Input(id="a-due", placeholder=f"tegen {EXAMPLE}", select_on_focus=False)
        yield Static("", id="a-due-error", classes="date-error -empty")
        yield Static("", id="a-mode")
        yield ActionTable(id="d-actions", cursor_type="row")

    def on_mount(self) -> None:
        table = self.query_one("#d-actions", DataTable)
        table.add_column("", key="done", width=2)
        table.add_column("Wat", key="what")
        table.add_column("Wie", key="who", width=16)
        table.add_column("Tegen", key="due", width=10)

    def show(self, minutes: m.PupilMinutes, fired: Iterable[str], baseline: m.PupilMinutes | None = None,
             noted: date | None = None) -> None:
        """Show the decisions of ``minutes``; ``fired`` (signal ids) marks the escalations they call for.

        ``baseline`` is what the dossier prefilled (noted on ``noted``): a value still equal to it is
        marked "vorige keer, dd/mm" until the team changes it.
        """
        self.minutes = minutes
        self.baseline = baseline
        self.noted = noted
        fired = set(fired)
        with self.prevent(Input.Changed, TextArea.Changed, Select.Changed, Checkbox.Changed):
            self.query_one("#d-pivot", Input).value = minutes.pivot
            self.query_one("#d-channel", Input).value = minutes.channel
            self.query_one("#d-review", Input).value = format_date(minutes.next_review)
            self.query_one("#d-phase", Select).value = minutes.phase if minutes.phase is not None else Select.NULL
            self.query_one("#d-decisions", TextArea).text = visible("\n".join(minutes.decisions), multiline=True)
            reasons = recommended_escalations(fired, [f.flag for f in minutes.flags])
            recommended = []
            for key in m.ESCALATIONS:
                box = self.query_one(f"#esc-{key}", Checkbox)
                box.value = key in minutes.escalations
                if key in reasons:
                    box.add_class("recommended")
                    box.label = f"{m.ESCALATIONS[key]} ◂"  # a symbol too, not only the colour (see below)
                    recommended.append(f"{m.ESCALATIONS[key]}: {reasons[key]}.")
            self.query_one("#d-recommended", Static).update(
                Text(visible("\n".join(["◂ aanbevolen:", *recommended]), multiline=True)) if recommended else ""
            )
        self._date_error("d-review", None)
        self.refresh_marks()
        self.refresh_actions()

    def set_locked(self, locked: bool) -> None:
        """A closed meeting: every field read-only (the agreements table stays readable)."""
        self.locked = locked
        for widget in self.query("Input, Checkbox, Select"):
            widget.disabled = locked
        self.query_one("#d-decisions", TextArea).read_only = locked

    def refresh_marks(self) -> None:
        """The "vorige keer, dd/mm" marks beside the labels of values still as prefilled."""
        if self.minutes is None:
            return
        for field, label in self.LABELS.items():
            earlier = self._from_last_time(field)
            text = Text(label)
            if earlier:
                text.append(f" · vorige keer, {short_date(self.noted)}", style="italic")
            self.query_one(f"#l-{field}", Label).update(text)

    def _from_last_time(self, field: str) -> bool:
        if self.baseline is None or self.minutes is None or field == "next_review":
            return False
        value = getattr(self.minutes, field)
        return value not in (None, "", []) and value == getattr(self.baseline, field)

    def focus_first(self) -> None:
        self.query_one("#d-pivot", Input).focus()

    def refresh_actions(self) -> None:
        if self.minutes is None:
            return
        table = self.query_one("#d-actions", DataTable)
        row = table.cursor_row
        table.clear()
        for action in self.minutes.actions:
            overdue = action.due is not None and action.due < self.today and not action.done
            what = Text(visible(action.what))
            if action.since and action.since < self.today:
                what.append(f"  (sinds {short_date(action.since)})", style="italic")
            table.add_row(Text("✓" if action.done else ("!" if overdue else "○")), what, Text(visible(action.who)),
                          Text(format_date(action.due)), key=action.id)
        if self.minutes.actions:
            table.move_cursor(row=min(max(row, 0), len(self.minutes.actions) - 1))

    def _changed(self, field: str) -> None:
        self.refresh_marks()
        self.post_message(self.Changed(field))

    def _date_error(self, field_id: str, message: str | None) -> None:
        box = self.query_one(f"#{field_id}", Input)
        box.set_class(message is not None, "invalid")
        error = self.query_one(f"#{field_id}-error", Static)
        error.update(Text(message or ""))
        error.set_class(message is None, "-empty")

    def pending_problem(self) -> str | None:
        """A sentence about a date field that still holds a date that could not be read, or None."""
        review = self.query_one("#d-review", Input)
        if review.has_class("invalid") and self.minutes is not None:
            kept = format_date(self.minutes.next_review) or "geen datum"
            return (f"De volgende evaluatie ‘{review.value.strip()}’ is geen datum; "
                    f"in de notulen staat {kept}.")
        return None

    @on(Input.Changed, "#d-pivot, #d-channel, #d-review")
    def _input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self.minutes is None or self.locked:
            return
        if event.input.id == "d-pivot":
            self.minutes.pivot = event.value.strip()
            self._changed("pivot")
        elif event.input.id == "d-channel":
            self.minutes.channel = event.value.strip()
            self._changed("channel")
        else:
            typed = event.value.strip()
            try:
                when = parse_date(typed, self.today) if typed else None
            except DateError as exc:
                self._date_error("d-review", f"{exc} In de notulen staat {format_date(self.minutes.next_review) or 'nog geen datum'}.")
                return
            self._date_error("d-review", None)
            if when != self.minutes.next_review:
                self.minutes.next_review = when
                self._changed("next_review")

    @on(Select.Changed, "#d-phase")
    def _phase_changed(self, event: Select.Changed) -> None:
        event.stop()
        if self.minutes is None or self.locked:
            return
        phase = event.value if isinstance(event.value, int) else None
        if phase != self.minutes.phase:
            self.minutes.phase = phase
            self._changed("phase")

    @on(Checkbox.Changed, ".escalation")
    def _escalation_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        if self.minutes is None or self.locked:
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
        if self.minutes is None or self.locked:
            return
        self.minutes.decisions = [line.strip() for line in event.text_area.text.splitlines() if line.strip()]
        self._changed("decisions")

    @on(ActionTable.Toggled)
    def _action_toggled(self, event: ActionTable.Toggled) -> None:
        event.stop()
        actions = self.minutes.actions if self.minutes is not None else []
        if self.locked or not 0 <= event.row < len(actions):
            return
        actions[event.row].done = not actions[event.row].done
        self.refresh_actions()
        self._changed("actions")

    @on(ActionTable.EditRequested)
    def _edit_requested(self, event: ActionTable.EditRequested) -> None:
        event.stop()
        actions = self.minutes.actions if self.minutes is not None else []
        if self.locked or not 0 <= event.row < len(actions):
            return
        action = actions[event.row]
        self.editing = action.id
        with self.prevent(Input.Changed):
            self.query_one("#a-what", Input).value = action.what
            self.query_one("#a-who", Input).value = action.who
            self.query_one("#a-due", Input).value = format_date(action.due)
        self.query_one("#a-mode", Static).update(
            Text(f"Afspraak bewerken (sinds {format_date(action.since)}): Enter bewaart, Esc annuleert."))
        self.query_one("#a-what", Input).focus()

    @on(ActionTable.DeleteRequested)
    def _delete_requested(self, event: ActionTable.DeleteRequested) -> None:
        event.stop()
        actions = self.minutes.actions if self.minutes is not None else []
        if not self.locked and 0 <= event.row < len(actions):
            self.post_message(self.DeleteAsked(actions[event.row]))

    def delete_action(self, action_id: str) -> None:
        """Delete the agreement (after the screen's confirmation)."""
        if self.minutes is None or self.locked:
            return
        self.minutes.delete_action(action_id)
        if self.editing == action_id:
            self.cancel_edit()
        self.refresh_actions()
        self._changed("actions")

    def cancel_edit(self) -> bool:
        """Leave the edit of an agreement (the form empties); False when no agreement was being edited."""
        if self.editing is None:
            return False
        self.editing = None
        with self.prevent(Input.Changed):
            for name in ("a-what", "a-who", "a-due"):
                self.query_one(f"#{name}", Input).value = ""
        self.query_one("#a-mode", Static).update("")
        self._date_error("a-due", None)
        return True

    @on(Input.Submitted, "#a-what, #a-who, #a-due")
    def _add_action(self, event: Input.Submitted) -> None:
        event.stop()
        if self.minutes is None or self.locked:
            return
        what = self.query_one("#a-what", Input)
        who = self.query_one("#a-who", Input)
        due = self.query_one("#a-due", Input)
        if event.input is what and not who.value and self.editing is None:
            who.focus()
            return
        if event.input is who and not due.value and self.editing is None:
            due.focus()
            return
        if not what.value.strip():
            what.focus()
            return
        when = None
        if due.value.strip():
            try:
                when = parse_date(due.value, self.today)
            except DateError as exc:
                self._date_error("a-due", str(exc))
                due.focus()
                return
        self._date_error("a-due", None)
        action = self.minutes.action(self.editing) if self.editing else None
        if action is not None:  # an edit keeps the id (and the day it was first agreed)
            action.what, action.who, action.due = what.value.strip(), who.value.strip(), when
        else:
            self.minutes.actions.append(m.Action(what.value.strip(), who.value.strip(), when, since=self.today))
        self.editing = None
        self.query_one("#a-mode", Static).update("")
        with self.prevent(Input.Changed):
            what.value = who.value = due.value = ""
        self.refresh_actions()
        self._changed("actions")
        what.focus()
