"""A synthetic meeting of four pupils of the sample school, as a care team would write it (for print tests
and the README screenshots)."""

from __future__ import annotations

from datetime import date

from zorgoverleg.minutes import Action, Attendee, Meeting, RoleNote, save


def sample_meeting() -> Meeting:
    m = Meeting(date=date(2026, 3, 13), title="Zorgoverleg 1ste graad", finished=True,
                present=[Attendee("An Verlinden", "Leerlingbegeleider"), Attendee("Bert Claes", "CLB"),
                         Attendee("Carla Jacobs", "Graadcoördinator"), Attendee("Dirk Wouters", "Klastitularis 1B")])
    p = m.ensure_pupil("001001", "Hasira Staertuyt", "1B", ["b_clb", "partial_days", "unknown_code", "velocity"])
    p.phase, p.pivot, p.channel, p.next_review = 1, "An Verlinden", "telefoon", date(2026, 4, 24)
    p.roles[0] = RoleNote("Lln", view="Zegt dat ze 's ochtends buikpijn heeft", doing="", can_do="Een gesprek met de leerlingbegeleider")
    p.roles[1] = RoleNote("Ouders", view="Mama is bezorgd, papa vindt het overdreven", doing="Brengen haar soms later", can_do="Huisarts raadplegen")
    p.roles[5] = RoleNote("CLB", can_do="Onthaalgesprek met leerling en ouders")
    p.decisions = ["Melding aan het CLB", "Wekelijks kort gesprek met de leerlingbegeleider"]
    p.actions = [Action("Ouders bellen en uitnodigen", "An Verlinden", date(2026, 3, 18)),
                 Action("Onthaalgesprek plannen", "Bert Claes", date(2026, 3, 27)),
                 Action("Open codes '-' laten wettigen", "Dirk Wouters", date(2026, 3, 20))]
    p = m.ensure_pupil("001008", "Vimar Zwaarssens", "1A", ["b_allowance", "b_police", "b_clb", "unknown_code"])
    p.phase, p.pivot, p.channel, p.next_review = 2, "Carla Jacobs", "huisbezoek", date(2026, 3, 27)
    p.escalations = ["clb_report"]
    p.roles[1] = RoleNote("Ouders", view="Moeilijk bereikbaar; mails blijven onbeantwoord", doing="", can_do="")
    p.roles[5] = RoleNote("CLB", view="Dossier is geopend", doing="Contact met de ouders gezocht", can_do="Huisbezoek samen met de school")
    p.decisions = ["Huisbezoek met CLB", "Schooltoeslag: ouders schriftelijk informeren"]
    p.notes = "Broer zit in 3STW; daar loopt het goed.\nOuders werken in ploegen."
    p.actions = [Action("Huisbezoek plannen", "Carla Jacobs", date(2026, 3, 20)),
                 Action("Brief over schooltoeslag", "An Verlinden", date(2026, 3, 16), done=True),
                 Action("Afwezigheden doorgeven aan CLB", "Bert Claes", date(2026, 3, 17))]
    p = m.ensure_pupil("001007", "Juboja Verzese", "2C", ["parent_notes"])
    p.phase, p.pivot, p.channel = 0, "Dirk Wouters", "Smartschool-bericht"
    p.roles[1] = RoleNote("Ouders", view="Kind is vaak verkouden", doing="Schrijven telkens een briefje", can_do="Voortaan een doktersattest")
    p.decisions = ["Ouders informeren over de regel van vier briefjes"]
    p.actions = [Action("Bericht over de briefjesregel", "Dirk Wouters", date(2026, 3, 16))]
    p = m.ensure_pupil("001005", "Saneke Snaerkenhove", "2A", ["long_illness"])
    p.phase, p.pivot, p.channel, p.next_review = 1, "An Verlinden", "telefoon", date(2026, 4, 24)
    p.escalations = ["toah_bednet"]
    p.roles[1] = RoleNote("Ouders", view="Herstel verloopt goed", doing="Houden contact met de klastitularis", can_do="TOAH aanvragen")
    p.decisions = ["TOAH-aanvraag opvolgen"]
    p.actions = [Action("Info over TOAH en Bednet bezorgen", "An Verlinden", date(2026, 3, 18)),
                 Action("Lesmateriaal bundelen", "Dirk Wouters", date(2026, 3, 25))]
    return m

if __name__ == "__main__":
    import sys
    save(sample_meeting(), sys.argv[1])
