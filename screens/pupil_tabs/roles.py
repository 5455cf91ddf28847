"""Tab 2 of the pupil screen: the walk through the roles (who is involved, three questions each).

The widget edits the ``RoleNote`` objects of the ``PupilMinutes`` it shows and posts
``RolesTab.Changed`` after every edit; the screen saves the minutes.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Label, ListItem, ListView, Static, TextArea

from zorgoverleg import minutes as m
from zorgoverleg.text import visible

QUESTIONS = (
    ("view", "Hoe {kijkt} {role} naar de situatie?"),
    ("doing", "Wie doet al wat? Wat {doet} {role} al?"),
    ("can_do", "Wat {kan} {role} (nog) doen?"),
)
# How each default role reads inside a question, and whether it takes a plural verb.
ROLE_PHRASES = {
    "Lln": ("de leerling", False), "Ouders": ("de ouders", True), "Klasgenoot": ("een klasgenoot", False),
    "Klasgroep": ("de klasgroep", False), "Leerkracht": ("de leerkracht", False), "CLB": ("het CLB", False),
    "Leerlingbegeleider": ("de leerlingbegeleider", False),
    "Graadcoördinator": ("de graadcoördinator", False), "Directeur": ("de directeur", False),
}
VERBS = {"kijkt": "kijken", "doet": "doen", "kan": "kunnen"}


def question(template: str, role: str) -> str:
    """The question of ``template`` about ``role`` (plain text: the role may be anything typed)."""
    phrase, plural = ROLE_PHRASES.get(role, (role, False))
    return template.format(role=phrase, **{k: (v if plural else k) for k, v in VERBS.items()})


class RoleItem(ListItem):
    """One role in the list: involved or not, and a dot once something was written for it."""

    def __init__(self, note: m.RoleNote) -> None:
        self.note = note
        self.label = Label(self._text())
        super().__init__(self.label)

    def _text(self) -> Text:
        tick = "☑" if self.note.involved else "☐"
        filled = " •" if (self.note.view or self.note.doing or self.note.can_do) else ""
        return Text(f"{tick} {visible(self.note.role)}{filled}")

    def refresh_label(self) -> None:
        self.label.update(self._text())


class RoleList(ListView):
    """The roles; ``space`` (binding id ``involved``) marks the highlighted role involved or not."""

    BINDINGS = [Binding("space", "toggle_involved", "Betrokken aan/uit", id="involved")]

    class Toggled(Message):
        """The highlighted role was marked involved or not involved."""

        def __init__(self, item: RoleItem) -> None:
            super().__init__()
            self.item = item

    def action_toggle_involved(self) -> None:
        item = self.highlighted_child
        if isinstance(item, RoleItem):
            item.note.involved = not item.note.involved
            item.refresh_label()
            self.post_message(self.Toggled(item))


class RolesTab(Horizontal):
    """The roles on the left; the three questions about the highlighted role on the right."""

    DEFAULT_CSS = """
    RolesTab {
        height: 1fr;
    }
    RolesTab #roles-left {
        width: 26;
    }
    RolesTab #roles-list {
        height: 1fr;
        border: round $panel;
    }
    RolesTab #roles-list:focus {
        border: round $primary;
    }
    RolesTab #roles-help {
        color: $text-muted;
        height: auto;
    }
    RolesTab .question {
        margin-top: 1;
        text-style: bold;
    }
    RolesTab .answer {
        height: 5;
    }
    """

    class Changed(Message):
        """Something in the roles changed (``field``: ``involved``, ``added``, or a question's field)."""

        def __init__(self, field: str) -> None:
            super().__init__()
            self.field = field

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.minutes: m.PupilMinutes | None = None
        self.current: RoleItem | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="roles-left"):
            yield RoleList(id="roles-list")
            yield Input(placeholder="+ rol toevoegen (Enter)", id="roles-add")
            yield Static("Spatie: betrokken aan/uit · Tab: naar de vragen · Esc: terug", id="roles-help")
        with VerticalScroll(id="roles-right"):
            for field, _template in QUESTIONS:
                yield Label("", id=f"q-{field}", classes="question")
                yield TextArea(id=f"role-{field}", classes="answer")

    @property
    def role_list(self) -> RoleList:
        return self.query_one("#roles-list", RoleList)

    def show(self, minutes: m.PupilMinutes) -> None:
        """Show the roles of ``minutes`` (what was typed before included)."""
        self.minutes = minutes
        roles = self.role_list
        roles.clear()
        roles.extend(RoleItem(note) for note in minutes.roles)
        if minutes.roles:
            self.call_after_refresh(self.select_role, 0)

    def select_role(self, index: int) -> None:
        roles = self.role_list
        if roles.children:
            roles.index = index
            self._show_role(roles.children[index])

    def is_answer(self, widget: Widget | None) -> bool:
        """Whether ``widget`` is one of the question fields (Esc there goes back to the list)."""
        return isinstance(widget, TextArea) and widget.parent is self.query_one("#roles-right")

    def _show_role(self, item: Widget) -> None:
        if not isinstance(item, RoleItem):
            return
        self.current = item
        with self.prevent(TextArea.Changed):
            for field, template in QUESTIONS:
                self.query_one(f"#q-{field}", Label).update(Text(visible(question(template, item.note.role))))
                # A TextArea shows control characters raw: they are shown as placeholders instead.
                self.query_one(f"#role-{field}", TextArea).text = visible(getattr(item.note, field), multiline=True)

    @on(ListView.Highlighted, "#roles-list")
    def _highlighted(self, event: ListView.Highlighted) -> None:
        if event.item is not None:
            self._show_role(event.item)

    @on(ListView.Selected, "#roles-list")
    def _selected(self, event: ListView.Selected) -> None:
        self.query_one("#role-view", TextArea).focus()

    @on(RoleList.Toggled)
    def _toggled(self, event: RoleList.Toggled) -> None:
        event.stop()
        self.post_message(self.Changed("involved"))

    @on(TextArea.Changed, ".answer")
    def _answer_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        if self.current is None:
            return
        field = (event.text_area.id or "")[len("role-"):]
        setattr(self.current.note, field, event.text_area.text)
        self.current.refresh_label()
        self.post_message(self.Changed(field))

    @on(Input.Submitted, "#roles-add")
    def _add_role(self, event: Input.Submitted) -> None:
        event.stop()
        name = event.value.strip()
        if not name or self.minutes is None:
            return
        note = m.RoleNote(name)
        self.minutes.roles.append(note)
        roles = self.role_list
        roles.append(RoleItem(note))
        event.input.value = ""
        self.post_message(self.Changed("added"))
        self.call_after_refresh(self.select_role, len(self.minutes.roles) - 1)
        roles.focus()
