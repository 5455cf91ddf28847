"""argparse in Dutch: the headings, the help option and the error messages of the command line.

argparse writes its own words in English ("usage:", "options:", "show this help message and exit",
"the following arguments are required"); this parser and formatter put Dutch ones in their place.
Core module: no Textual.
"""

from __future__ import annotations

import argparse
import re
import sys
from typing import NoReturn

# argparse's own error messages (Python 3.11-3.13) and their Dutch wording; anything else is ours.
_ERRORS: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p), r) for p, r in (
    (r"^the following arguments are required: (.*)$", r"dit ontbreekt nog: \1"),
    (r"^unrecognized arguments: (.*)$", r"dit kent het programma niet: \1"),
    (r"^invalid choice: (.*) \(choose from (.*)\)$", r"\1 kan niet; kies uit \2"),
    (r"^invalid \S+ value: (.*)$", r"\1 is geen geldige waarde"),
    (r"^expected one argument$", "hier hoort één waarde bij"),
    (r"^expected at least one argument$", "hier hoort minstens één waarde bij"),
    (r"^expected at most one argument$", "hier hoort hoogstens één waarde bij"),
    (r"^expected (\d+) arguments?$", r"hier horen \1 waarden bij"),
    (r"^ignored explicit argument (.*)$", r"de waarde \1 hoort hier niet bij"),
    (r"^not allowed with argument (.*)$", r"kan niet samen met \1"),
    (r"^one of the arguments (.*) is required$", r"een van deze is nodig: \1"),
    (r"^ambiguous option: (.*) could match (.*)$", r"\1 is niet eenduidig: bedoelt u \2?"),
))
# What a value is called in the help (argparse would show the English option name: --db DB).
METAVARS = {"db": "BESTAND", "config": "BESTAND", "mapping": "BESTAND", "output": "BESTAND", "today": "DATUM",
            "dir": "MAP", "limit": "AANTAL", "rounds": "AANTAL", "pupils": "AANTAL", "seed": "GETAL"}
_ARGUMENT = re.compile(r"^argument (.+?): (.*)$", re.S)


def dutch_error(message: str) -> str:
    """argparse's English error message in Dutch (our own messages pass unchanged)."""
    found = _ARGUMENT.match(message)
    if found:
        return f"{found.group(1)}: {dutch_error(found.group(2))}"
    for pattern, replacement in _ERRORS:
        if pattern.match(message):
            return pattern.sub(replacement, message)
    return message


class DutchHelpFormatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None) -> None:
        super().add_usage(usage, actions, groups, "gebruik: " if prefix is None else prefix)


class DutchArgumentParser(argparse.ArgumentParser):
    """An ``ArgumentParser`` that speaks Dutch; subcommand parsers made from it do too."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", DutchHelpFormatter)
        add_help = kwargs.pop("add_help", True)
        kwargs["add_help"] = False  # ours, with a Dutch help text, follows
        super().__init__(*args, **kwargs)
        self._positionals.title = "argumenten"
        self._optionals.title = "opties"
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                              help="deze hulp tonen en stoppen")

    def add_argument(self, *args, **kwargs):
        action = super().add_argument(*args, **kwargs)
        if action.option_strings and action.metavar is None and action.nargs != 0 and not action.choices:
            action.metavar = METAVARS.get(action.dest, action.dest.upper())
        return action

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: {dutch_error(message)}. Meer uitleg: {self.prog} --help\n")
