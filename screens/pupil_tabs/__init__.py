"""The tabs of the pupil screen, one widget each.

- overview: ``zorgoverleg.screens.overview.PupilOverview`` (read only, no messages)
- roles: ``RolesTab`` (posts ``RolesTab.Changed``; ``RoleList`` binds ``space`` as ``involved``)
- decisions: ``DecisionsTab`` (posts ``DecisionsTab.Changed``; ``ActionTable`` binds ``space`` as ``done``)
- team knowledge: ``TeamTab`` (posts ``TeamTab.FlagToggled`` and ``TeamTab.NoteChanged``)

Each tab edits the ``PupilMinutes`` it was shown and posts a message; the screen saves the minutes.
No tab touches the database or ``self.app``.
"""

from zorgoverleg.screens.overview import PupilOverview
from zorgoverleg.screens.pupil_tabs.decisions import ActionTable, DecisionsTab
from zorgoverleg.screens.pupil_tabs.roles import RoleItem, RoleList, RolesTab, question
from zorgoverleg.screens.pupil_tabs.team import TeamTab

__all__ = ["ActionTable", "DecisionsTab", "PupilOverview", "RoleItem", "RoleList", "RolesTab", "TeamTab", "question"]
