"""One entry per signal of the prioritised list: id, Dutch label, source, reason, the settings it
reads, and its wording. Also which escalations the signals and the team's flags recommend.

Adding a signal is one ``SignalSpec`` here plus its ``s_<id>`` column (and its place in the
``signal_flags`` list) in ``queries/prioritised_pupils.sql``; ``tests/test_signals.py`` checks the
registry against the query's columns, ``tui/default_config.toml`` and the README's signal table.
Core module: never imports Textual.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from zorgoverleg.text import nl_number, visible

Words = Callable[[dict[str, Any], dict[str, Any]], tuple[str, str]]

WEEKDAYS = {1: "maandag", 2: "dinsdag", 3: "woensdag", 4: "donderdag", 5: "vrijdag", 6: "zaterdag", 7: "zondag"}
HALFDAYS = {"VM": "voormiddag", "NM": "namiddag"}

# Real sources (a law, a procedure, a body, the two seed documents). "" = the team itself.
AGODI = "AGODI, procedure problematische afwezigheden"
POLICY = "afwezigheidsbeleid van de school (lokale afspraak, geen wettelijke drempel)"
GROEIPAKKET = "Groeipakket, voorwaarden schooltoeslag"
DECK = "vorming 'Angst voor de schoolpoort' (HoGent)"
ILLNESS_RULES = "Vlaamse regels voor afwezigheid wegens ziekte"
TOAH = "Vlaamse regels voor TOAH (tijdelijk onderwijs aan huis)"
INTERNATIONAL = "internationale maat voor chronische afwezigheid (VS, Engeland)"
ENGLAND = "Engelse maat voor ernstige afwezigheid (Department for Education)"
INFORMAT = "schoolsoftware: Informat zet code - na enkele dagen om in B"
Z_RULE = "Vlaamse overheid: CLB-regel voor Z-codes, aangekondigd vanaf schooljaar 2027-28"


@dataclass(frozen=True)
class SignalSpec:
    id: str
    label: str           # short Dutch label for tags and tables
    source: str          # where the threshold comes from; "" when the team itself sets it
    reason: str          # why it matters, in one Dutch sentence
    thresholds: tuple[str, ...]   # keys of [thresholds] the signal reads
    weight: str          # key of [weights]; team_flag weighs per flag ([weights.team_flags])
    words: Words         # (detail, threshold) in Dutch from the measures and thresholds
    default_on: bool = True       # False: off until the school sets its threshold


# --------------------------------------------------------------------------- wording helpers

def n_of(n: int, one: str, many: str) -> str:
    """``1 B-halve dag``, ``2 B-halve dagen``."""
    return f"{n} {one if n == 1 else many}"


def pct(x: float) -> str:
    return f"{round(x * 100)}%"


def day_month(value: date | None) -> str:
    return value.strftime("%d/%m") if value else "?"


def relative_day(value: date, today: date) -> str:
    """``vandaag``, ``gisteren``, ``3 dagen geleden``, ``morgen``, ``over 4 dagen``."""
    delta = (today - value).days
    if delta == 0:
        return "vandaag"
    if delta == 1:
        return "gisteren"
    if delta == -1:
        return "morgen"
    return f"{delta} dagen geleden" if delta > 0 else f"over {-delta} dagen"


def weeks(days: float) -> int:
    return round(days / 7)


def school_year_name(year: int) -> str:
    return f"{year}-{(year + 1) % 100:02d}"


# --------------------------------------------------------------------------- wording per signal

def _b(key: str, follow: str) -> Words:
    def words(m: dict[str, Any], t: dict[str, Any]) -> tuple[str, str]:
        recent = ""
        window = f"in de laatste {weeks(t['detachment_window_days'])} weken"
        if m["m_b_recent"] and m["m_b_recent"] == m["b"]:
            recent = f", {window}" if m["b"] == 1 else f", alle {window}"
        elif m["m_b_recent"]:
            recent = f", waarvan {m['m_b_recent']} {window}"
        extra = _allowance_history(m, t) if key == "b_allowance" else ""
        return (f"{n_of(m['b'], 'B-halve dag', 'B-halve dagen')}{recent}: {follow}{extra}.",
                f"vanaf {n_of(int(t[key]), 'B-halve dag', 'B-halve dagen')} dit schooljaar")
    return words


def _allowance_history(m: dict[str, Any], t: dict[str, Any]) -> str:
    """Whether last school year was above the allowance's limit too (lost after two such years)."""
    limit = int(t["b_allowance"]) - 1
    if m.get("m_data_last_year") and not m.get("m_has_last_year"):
        return "; vorig schooljaar geen afwezigheden van deze leerling in de gegevens"
    if not m.get("m_data_last_year"):
        return "; de gegevens tonen vorig schooljaar niet, vraag na of het ook toen boven " \
               f"{limit} lag (twee schooljaren na elkaar: de schooltoeslag vervalt)"
    last = int(m.get("m_b_last_year") or 0)
    if last > limit:
        return (f"; vorig schooljaar ook boven {limit} ({n_of(last, 'B-halve dag', 'B-halve dagen')}): "
                "een tweede schooljaar na elkaar, de schooltoeslag kan vervallen")
    return f"; vorig schooljaar niet boven {limit} ({n_of(last, 'B-halve dag', 'B-halve dagen')})"


_b_first = _b("b_first", "eerst een gesprek met de leerling door iemand van de school (secretariaat, "
              "klastitularis, leerlingbegeleider of een andere vertrouwenspersoon), daarna met de ouders")


def _share(key: str) -> Words:
    def words(m: dict[str, Any], t: dict[str, Any]) -> tuple[str, str]:
        return (f"{m['absent']} van {m['possible']} mogelijke halve dagen afwezig ({pct(m['m_share'])}).",
                f"vanaf {pct(t[key])} van de mogelijke halve dagen")
    return words


def _velocity(m: dict[str, Any], t: dict[str, Any]) -> tuple[str, str]:
    return (
        f"{n_of(m['m_absent_recent'], 'afwezige halve dag', 'afwezige halve dagen')} in de laatste "
        f"{weeks(t['velocity_window_days'])} weken ({pct(m['m_rate_recent'])}), "
        f"tegenover {pct(m['m_rate_before'])} daarvoor.",
        f"minstens {n_of(int(t['velocity_min_halfdays']), 'halve dag', 'halve dagen')} en "
        f"{nl_number(t['velocity_ratio'])} keer het eerdere ritme",
    )


def _detachment(m: dict[str, Any], t: dict[str, Any]) -> tuple[str, str]:
    w = weeks(t["detachment_window_days"])
    return (
        f"{n_of(m['m_b_recent'], 'B-halve dag', 'B-halve dagen')} in de laatste {w} weken, tegenover "
        f"{m['m_b_prev']} in de {w} weken daarvoor, zonder gewettigde afwezigheden ernaast.",
        f"minstens {n_of(int(t['detachment_min_b']), 'B-halve dag', 'B-halve dagen')} in {w} weken, "
        "meer dan in de weken daarvoor",
    )


def _camouflage(m: dict[str, Any], t: dict[str, Any]) -> tuple[str, str]:
    near = m["m_b_near_justified"]
    return (
        f"{n_of(near, 'B-halve dag ligt', 'B-halve dagen liggen')} vlak bij gewettigde afwezigheden "
        f"({n_of(m['m_justified'], 'gewettigde halve dag', 'gewettigde halve dagen')} dit schooljaar).",
        f"minstens {n_of(int(t['camouflage_min_b']), 'B-halve dag', 'B-halve dagen')} binnen "
        f"{n_of(int(t['camouflage_days']), 'dag', 'dagen')} van een wettiging",
    )


def _weekday(m: dict[str, Any], t: dict[str, Any]) -> tuple[str, str]:
    days = m["m_absent_days"]
    if m["m_top_weekday_n"] >= t["weekday_share"] * days and m["m_top_weekday_n"] >= t["weekday_min"]:
        text = (f"{m['m_top_weekday_n']} van {n_of(days, 'dag', 'dagen')} met afwezigheid vallen op een "
                f"{WEEKDAYS.get(m['m_top_weekday'], '?')}.")
    else:
        text = (f"{m['m_top_slot_n']} van {n_of(m['absent'], 'afwezige halve dag', 'afwezige halve dagen')} "
                f"vallen op {WEEKDAYS.get(m['m_top_slot_weekday'], '?')}"
                f"{HALFDAYS.get(m['m_top_slot_halfday'], '')}.")
    return text, f"minstens {pct(t['weekday_share'])} op één weekdag of {pct(t['slot_share'])} op één dagdeel"


def _after_break(m: dict[str, Any], t: dict[str, Any]) -> tuple[str, str]:
    parts = []
    if m["m_back_after_break"]:
        kinds = [(m["m_absent_after_weekend"], "na een weekend"), (m["m_absent_after_holiday"], "na een vakantie")]
        which = " en ".join(f"{n} {what}" for n, what in kinds if n)
        parts.append(f"{m['m_absent_after_break']} keer afwezig op de eerste schooldag terug ({which}): "
                     f"{pct(m['m_rate_after_break'])} van die dagen, tegenover {pct(m['m_rate_other_days'])} "
                     "van de andere")
    if m["m_back_after_illness"]:
        parts.append(f"{m['m_absent_after_illness']} van {m['m_illness_returns']} keer afwezig op de eerste "
                     f"schooldag na een ziekteperiode ({pct(m['m_rate_after_illness'])}), tegenover "
                     f"{pct(m['m_rate_plain_days'])} van de gewone dagen")
    return (
        "; ".join(parts) + ".",
        f"minstens {n_of(int(t['after_break_min']), 'dag', 'dagen')} en {nl_number(t['after_break_ratio'])} "
        "keer het ritme van andere dagen",
    )


def _partial_days(m: dict[str, Any], t: dict[str, Any]) -> tuple[str, str]:
    return (f"{n_of(m['m_partial_days'], 'dag', 'dagen')} enkel de voormiddag of enkel de namiddag afwezig.",
            f"vanaf {n_of(int(t['partial_days_min']), 'dag', 'dagen')}")


def _late(m: dict[str, Any], t: dict[str, Any]) -> tuple[str, str]:
    return f"{m['late']} keer te laat dit schooljaar.", f"vanaf {int(t['late_min'])} keer"


def _unknown_code(m: dict[str, Any], t: dict[str, Any]) -> tuple[str, str]:
    return (
        f"{n_of(m['m_unknown_old'], 'halve dag', 'halve dagen')} nog zonder wettiging (code -), "
        f"de oudste van {day_month(m['m_unknown_since'])}.",
        f"code - van {n_of(int(t['unknown_days']), 'dag', 'dagen')} of ouder",
    )


def _parent_notes(m: dict[str, Any], t: dict[str, Any]) -> tuple[str, str]:
    parts = [n_of(m["m_note_episodes"], "ziekteperiode", "ziekteperiodes") + " met een briefje van de ouders"]
    if m["m_longest_note"] > t["parent_note_days"]:
        parts.append(f"de langste {m['m_longest_note']} kalenderdagen ({day_month(m['m_longest_note_from'])} "
                     f"tot {day_month(m['m_longest_note_to'])}): daarvoor is een doktersattest nodig")
    return "; ".join(parts) + ".", (
        f"vanaf {int(t['parent_notes_max'])} briefjes of één voor meer dan "
        f"{n_of(int(t['parent_note_days']), 'kalenderdag', 'kalenderdagen')}"
    )


def _long_illness(m: dict[str, Any], t: dict[str, Any]) -> tuple[str, str]:
    return (
        f"{m['m_longest_illness']} kalenderdagen ziek ({day_month(m['m_longest_from'])} tot "
        f"{day_month(m['m_longest_to'])}): informeer over TOAH, Bednet en School & Ziek zijn.",
        f"meer dan {n_of(int(t['long_illness_days']), 'kalenderdag', 'kalenderdagen')}",
    )


def _review_due(m: dict[str, Any], t: dict[str, Any]) -> tuple[str, str]:
    parts = []
    if m["m_overdue"]:
        parts.append(f"{n_of(m['m_overdue'], 'afspraak', 'afspraken')} over datum "
                     f"(oudste {day_month(m['m_oldest_due'])})")
    review = m["m_next_review"]
    if review is not None and review <= m["today"]:
        parts.append(f"evaluatie gepland op {day_month(review)} ({relative_day(review, m['today'])})")
    return "; ".join(parts) + ".", "vervaldatum of evaluatiedatum bereikt"


def _team_flag(m: dict[str, Any], t: dict[str, Any]) -> tuple[str, str]:
    from zorgoverleg.history import TEAM_FLAGS

    labels = {k: v.lower() for k, v in TEAM_FLAGS.items()}
    flags = []
    for item in m["m_flag_ids"] or []:  # [{flag, by, at}], oldest first; "by" is typed text
        by = ", ".join(visible(x) for x in (item["by"], item["at"]) if x)
        flags.append(labels.get(item["flag"], visible(item["flag"])) + (f" ({by})" if by else ""))
    return "; ".join(flags) + ".", "door het team ingesteld"


def _earlier_years(m: dict[str, Any], t: dict[str, Any]) -> tuple[str, str]:
    years = []
    for item in (m["m_earlier"] or "").split(","):
        if not item:
            continue
        year, absent, b, possible = (int(x) for x in item.split(":"))
        share = pct(absent / possible) if possible else "?"
        years.append(f"{school_year_name(year)}: {absent} van {possible} halve dagen afwezig ({share}), "
                     f"{n_of(b, 'B-halve dag', 'B-halve dagen')}")
    return (
        "Vorige schooljaren in de gegevens: " + "; ".join(years) + ".",
        f"een vorig schooljaar met minstens {n_of(int(t['earlier_years_b']), 'B-halve dag', 'B-halve dagen')} "
        f"of {pct(t['earlier_years_share'])} afwezig (de drempels zelf tellen enkel dit schooljaar)",
    )


def _early_leaving(m: dict[str, Any], t: dict[str, Any]) -> tuple[str, str]:
    who = "3e graad" if m["grade"] == 3 else f"graad onbekend, {m['age']} jaar"
    return (
        f"{who} met {n_of(m['b'], 'B-halve dag', 'B-halve dagen')}: oudere leerlingen met veel "
        "problematische afwezigheid verlaten de school vaker vroegtijdig.",
        f"3e graad (of vanaf {int(t['early_leaving_age'])} jaar als de graad onbekend is) met minstens "
        f"{n_of(int(t['early_leaving_b']), 'B-halve dag', 'B-halve dagen')}",
    )


def _toah_chronic(m: dict[str, Any], t: dict[str, Any]) -> tuple[str, str]:
    per = int(t["toah_chronic_halfdays"])
    ill = m["m_ill_halfdays"]
    rights = ill // per if per > 0 else 0
    left = per - ill % per if per > 0 else 0
    return (
        f"Chronisch ziek: {n_of(ill, 'halve dag', 'halve dagen')} ziek dit schooljaar, samen "
        f"{n_of(rights, 'recht', 'rechten')} op TOAH (nog {n_of(left, 'halve dag', 'halve dagen')} tot het "
        "volgende). Informeer de ouders zodra duidelijk is dat de leerling in aanmerking komt.",
        f"door het team als chronisch ziek gemarkeerd; elke {n_of(per, 'halve dag', 'halve dagen')} ziek "
        "een nieuw recht",
    )


def _z_clb(m: dict[str, Any], t: dict[str, Any]) -> tuple[str, str]:
    return (
        f"{n_of(m['m_ill_halfdays'], 'halve dag', 'halve dagen')} ziek (Z) dit schooljaar: het CLB "
        "inschakelen; de school blijft zelf betrokken.",
        f"vanaf {n_of(int(t['z_clb']), 'Z-halve dag', 'Z-halve dagen')} (drempel van de school; 0 = uit)",
    )


# --------------------------------------------------------------------------- the registry

SIGNALS: tuple[SignalSpec, ...] = (
    SignalSpec("b_first", "B-code", AGODI,
               "vanaf de eerste B-code spreekt de school eerst met de leerling, daarna met de ouders",
               ("b_first", "detachment_window_days"), "b_first", _b_first),
    SignalSpec("b_clb", "Melding CLB", AGODI,
               "vanaf 5 B-codes meldt de school aan het CLB en openen ze samen een begeleidingsdossier",
               ("b_clb", "detachment_window_days"), "b_clb", _b("b_clb", "melding aan het CLB en begeleidingsdossier; "
                                        "de school blijft zelf betrokken")),
    SignalSpec("b_police", "Politie (lokaal)", POLICY,
               "het schoolbeleid schakelt standaard de lokale politie in vanaf 10 B-codes",
               ("b_police", "detachment_window_days"), "b_police", _b("b_police", "lokale afspraak: politie inschakelen")),
    SignalSpec("b_allowance", "Schooltoeslag", GROEIPAKKET,
               "meer dan 29 B-halve dagen: de schooltoeslag komt in gevaar, ze vervalt na twee zulke schooljaren",
               ("b_allowance", "detachment_window_days"), "b_allowance", _b("b_allowance", "schooltoeslag in gevaar")),
    SignalSpec("chronic", "Veel afwezig", INTERNATIONAL,
               "wie 10% van de lesdagen mist, loopt achterstand op",
               ("chronic_share", "share_min_halfdays"), "chronic", _share("chronic_share")),
    SignalSpec("severe", "Zeer veel afwezig", ENGLAND,
               "de helft van de lesdagen afwezig: ernstige afwezigheid",
               ("severe_share", "share_min_halfdays"), "severe", _share("severe_share")),
    SignalSpec("velocity", "Snelle toename", DECK,
               "snelheid telt: 20 afwezigheden in 6 weken wegen zwaarder dan 20 in 6 maanden",
               ("velocity_window_days", "velocity_min_halfdays", "velocity_ratio", "velocity_floor"),
               "velocity", _velocity),
    SignalSpec("detachment", "B zonder wettiging", DECK,
               "stijgende B-codes zonder gewettigde afwezigheden kunnen wijzen op loskomen van school",
               ("detachment_window_days", "detachment_min_b", "detachment_max_justified"),
               "detachment", _detachment),
    SignalSpec("camouflage", "B naast wettiging", DECK,
               "B-codes tussen gewettigde afwezigheden: de leerling verbergt het nog, de band met school is er",
               ("camouflage_days", "camouflage_min_b"), "camouflage", _camouflage),
    SignalSpec("weekday", "Vaste dag", DECK,
               "afwezigheden op vaste dagen of uren, ook gewettigde, zijn een signaal",
               ("weekday_min", "weekday_share", "slot_share"), "weekday", _weekday),
    SignalSpec("after_break", "Moeilijke terugkeer", DECK,
               "moeite om terug te komen na een weekend, een vakantie of een ziekteperiode",
               ("after_break_min", "after_break_ratio"), "after_break", _after_break),
    SignalSpec("partial_days", "Halve dagen", DECK,
               "vaak maar een deel van de dag op school",
               ("partial_days_min",), "partial_days", _partial_days),
    SignalSpec("late", "Vaak te laat", DECK,
               "vaak te laat komen, apart geteld van afwezigheden",
               ("late_min",), "late", _late),
    SignalSpec("unknown_code", "Nog te wettigen", INFORMAT,
               "afwezigheden die nog gewettigd moeten worden",
               ("unknown_days",), "unknown_code", _unknown_code),
    SignalSpec("parent_notes", "Briefjes ouders", ILLNESS_RULES,
               "een briefje van de ouders dekt hoogstens 3 kalenderdagen en mag hoogstens 4 keer per schooljaar",
               ("parent_notes_max", "parent_note_days"), "parent_notes", _parent_notes),
    SignalSpec("long_illness", "Lange ziekte", TOAH,
               "meer dan 21 kalenderdagen ziek: de school informeert over TOAH, Bednet en School & Ziek zijn",
               ("long_illness_days",), "long_illness", _long_illness),
    SignalSpec("review_due", "Opvolging", "",
               "een afspraak of evaluatiedatum uit een vorig overleg is bereikt",
               (), "review_due", _review_due),
    SignalSpec("team_flag", "Teamsignaal", "",
               "wat het team weet en de export niet toont",
               (), "team_flag", _team_flag),
    SignalSpec("earlier_years", "Vorige schooljaren", DECK,
               "afwezigheden in vorige schooljaren zijn een gekend probleem dat de prioriteit verhoogt",
               ("earlier_years_b", "earlier_years_share", "earlier_years_back"), "earlier_years", _earlier_years),
    SignalSpec("early_leaving", "Risico schoolverlaten", DECK,
               "leerlingen van de 3e graad met veel B-codes verlaten de school vaker vroegtijdig",
               ("early_leaving_b", "early_leaving_age"), "early_leaving", _early_leaving),
    SignalSpec("toah_chronic", "Chronisch ziek: TOAH", TOAH,
               "bij een chronische ziekte geeft elke 9 halve dagen ziek een nieuw recht op TOAH",
               ("toah_chronic_halfdays",), "toah_chronic", _toah_chronic),
    SignalSpec("z_clb", "Z-codes: CLB", Z_RULE,
               "vanaf 2027-28 schakelt de school het CLB in na een aantal Z-codes (aantal nog niet vastgelegd)",
               ("z_clb",), "z_clb", _z_clb, default_on=False),
)

BY_ID: dict[str, SignalSpec] = {s.id: s for s in SIGNALS}
SIGNAL_IDS: tuple[str, ...] = tuple(BY_ID)
LABELS: dict[str, str] = {s.id: s.label for s in SIGNALS}
SOURCES: dict[str, str] = {s.id: s.source for s in SIGNALS}
REASONS: dict[str, str] = {s.id: s.reason for s in SIGNALS}


def describe(sid: str, m: dict[str, Any], t: dict[str, Any]) -> tuple[str, str]:
    """(detail, threshold) in Dutch for signal ``sid`` with measures ``m`` and thresholds ``t``."""
    return BY_ID[sid].words(m, t)


def signal_words() -> list[str]:
    """What the list filter finds per signal ("id label"), in registry order."""
    return [f"{s.id} {s.label.lower()}" for s in SIGNALS]


# --------------------------------------------------------------------------- escalations

# escalation id -> (signal id or "flag:<team flag>", the reason the decision screen shows)
ESCALATION_TRIGGERS: dict[str, tuple[tuple[str, str], ...]] = {
    "clb_report": (
        ("b_clb", "B-halve dagen boven de drempel: melding en begeleidingsdossier"),
        ("z_clb", "Z-halve dagen boven de drempel van de school"),
    ),
    "police": (
        ("b_police", "B-halve dagen boven de lokale afspraak van de school"),
        ("flag:parents_unreachable", "de ouders zijn onbereikbaar: het schoolbeleid schakelt dan de lokale "
                                     "politie in, los van het aantal B-codes"),
        ("flag:parents_not_cooperating", "de ouders werken duidelijk niet mee: het schoolbeleid schakelt dan "
                                         "de lokale politie in, los van het aantal B-codes"),
    ),
    "toah_bednet": (
        ("long_illness", "langer dan 21 kalenderdagen ziek: informeer over TOAH, Bednet en School & Ziek zijn"),
        ("toah_chronic", "chronisch ziek: de halve dagen ziek geven recht op TOAH, informeer de ouders"),
    ),
    "naft": (
        ("b_allowance", "veel B-halve dagen"),
        ("detachment", "stijgende B-codes zonder wettiging"),
        ("severe", "zeer veel afwezig"),
    ),
}
# Said once after the reasons: a referral never replaces the school staying involved (the seed).
ESCALATION_NOTES = {
    "clb_report": "de school blijft zelf betrokken",
    "naft": "de school blijft zelf betrokken",
    "police": "de school blijft zelf betrokken",
}


def recommended_escalations(signal_ids: Iterable[str], team_flags: Iterable[str]) -> dict[str, str]:
    """Escalation id -> why the signals or the team's flags recommend it (reasons joined by "; ")."""
    fired = set(signal_ids) | {f"flag:{f}" for f in team_flags}
    out: dict[str, str] = {}
    for escalation, triggers in ESCALATION_TRIGGERS.items():
        reasons = [reason for trigger, reason in triggers if trigger in fired]
        if reasons:
            note = ESCALATION_NOTES.get(escalation)
            out[escalation] = "; ".join(reasons) + (f" ({note})" if note else "")
    return out
