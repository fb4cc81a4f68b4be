"""The report a sender gets for a file: JSON for machines, HTML for people, both in Dutch."""

from __future__ import annotations

import html
import json
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

from orchestration.bronnen.zorggroep.standard import RULES, SHEETS
from orchestration.warehouse.errors import Problem, shown_value

SEVERITY_WORDS = {"fout": "Fout", "waarschuwing": "Waarschuwing"}

# What each rule code of a report means, in one Dutch sentence (the ledger's hoofdreden).
# The cross-sheet rules of the exchange standard describe themselves (standard.RULES).
RULE_WORDS = {
    "leeg_bestand": "Het bestand is leeg.",
    "extensie": "Het bestand heeft de verkeerde extensie voor deze bron.",
    "te_groot": "Het bestand is groter dan de toegestane 50 MB.",
    "beveiligd_of_xls": "De werkmap is met een wachtwoord beveiligd of in het oude .xls-formaat.",
    "geen_excel": "Het bestand is geen Excel-werkmap maar heeft wel de extensie .xlsx.",
    "werkmap": "Het bestand is geen leesbare Excel-werkmap (beschadigd of onvolledig).",
    "onleesbaar": "Het bestand kon niet worden gelezen.",
    "tabblad_ontbreekt": "Een verplicht tabblad ontbreekt (of heeft een andere naam).",
    "meta_kolommen": "Het tabblad 'meta' heeft niet de kolommen 'veld' en 'waarde'.",
    "kopregel_leeg": "De kopregel heeft een lege cel (samengevoegde cellen?).",
    "kolom_ontbreekt": "Een verplichte kolom ontbreekt.",
    "leeg_tabblad": "Het tabblad 'praktijken' of 'huisartsen' is leeg.",
    "onbekende_kolom": "Er staat een kolom in die niet in de standaard voorkomt.",
    "dubbele_kolom": "Een kolomnaam komt meer dan één keer voor.",
    "verplicht": "Een verplichte cel is leeg.",
    "type": "Een cel heeft het verkeerde type (geen getal of datum, bijv. een decimale komma "
    "als tekst).",
    "toegestane_waarden": "Een cel heeft een waarde die niet in de lijst met toegestane "
    "waarden staat.",
    "formaat": "Een cel heeft het verkeerde formaat (bijv. een AGB-code of gemeentecode).",
    "minimum": "Een waarde is kleiner dan het toegestane minimum.",
    "maximum": "Een waarde is groter dan het toegestane maximum.",
    "dubbele_sleutel": "Een rij komt twee keer voor (dubbele sleutel).",
    "lengte": "Een tekst is langer dan de standaard toestaat.",
    "codering": "Het bestand is geen UTF-8-tekst.",
    "scheidingsteken": "De kolommen zijn niet met ';' gescheiden.",
    "csv_formaat": "Het bestand is geen geldige CSV.",
    "een_peiljaar": "Het extract bevat meer dan één peiljaar.",
    "json": "Een regel is geen geldig JSON-object.",
    "geplaatst_max_aangevraagd": "Er zijn meer studenten geplaatst dan er een plek zochten.",
    "geplaatst_max_aangeboden": "Er zijn meer studenten geplaatst dan er plekken waren.",
    "schooljaar_opeenvolgend": "Een schooljaar bestaat niet uit twee opeenvolgende jaren.",
    # The cross-sheet rules of the exchange standard (standard.RULES), as what went wrong.
    "template_versie": "De werkmap is in een ingetrokken of onbekende templateversie ingevuld.",
    "aangeleverd_op_toekomst": "'aangeleverd_op' ligt in de toekomst of vóór het begin van "
    "de periode.",
    "periode_bestandsnaam": "De periode in de bestandsnaam verschilt van die in 'meta'.",
    "gemeente_bekend": "Een gemeentecode staat niet in de CBS-gemeentelijst 2025.",
    "patienten_65plus_max": "Een praktijk heeft meer patiënten van 65+ dan ingeschreven patiënten.",
    "patienten_75plus_max": "Een praktijk heeft meer patiënten van 75+ dan van 65+.",
    "praktijk_bestaat": "Een praktijk_agb staat niet op het tabblad 'praktijken'.",
    "fte_per_persoon": "Een huisarts werkt over alle praktijken samen meer dan 1,5 fte.",
    "patienten_per_fte": "Een praktijk heeft onaannemelijk veel patiënten per fte huisarts "
    "(ontbreken er huisartsen?).",
    "geboortejaar_leeftijd": "Een huisarts is in het jaar van de periode jonger dan 25 of "
    "ouder dan 80.",
    "stopjaar_verleden": "Een 'verwacht_stopjaar' ligt vóór het jaar van de periode.",
    "open_sinds_toekomst": "Een vacature is na 'aangeleverd_op' of in de toekomst opengesteld.",
    "fte_per_persoon_personeel": "Een functie van het personeel heeft meer dan 1,5 fte per "
    "persoon.",
    "patienten_sprong": "Het aantal patiënten van een praktijk verschilt meer dan 30 % van de "
    "vorige aanlevering.",
}
# A rule added to the standard later still gets words: its own description.
RULE_WORDS |= {
    rule.code: f"Regel niet gehaald: {rule.description}"
    for rule in RULES
    if rule.code not in RULE_WORDS
}


# From this many problems of one rule in one column, a report shows one line for them all.
COLLAPSE_FROM = 3
# How many row numbers such a line lists before "…".
SHOWN_ROWS = 10
# Sheets in the order a sender sees them (the template's); a source without sheets has none.
SHEET_ORDER = {sheet.name: index for index, sheet in enumerate(SHEETS)}


def _letter_key(letter: str | None) -> tuple[int, str]:
    # Excel's order: Z before AA.
    first = (letter or "").split(",")[0].strip()
    return (len(first), first) if first else (99, "")


def ordered(problems: list[Problem]) -> list[Problem]:
    """The problems by sheet (template order), row, column and rule; the file's own first."""
    seen: dict[str | None, int] = {}
    for problem in problems:
        seen.setdefault(problem.sheet, len(seen))

    def key(p: Problem):
        sheet_rank = (
            (0, 0)
            if p.sheet is None
            else (1, SHEET_ORDER[p.sheet])
            if p.sheet in SHEET_ORDER
            else (2, seen[p.sheet])
        )
        return (
            sheet_rank,
            -1 if p.row is None else p.row,
            _letter_key(p.letter),
            p.column or "",
            p.rule,
        )

    return sorted(problems, key=key)


@dataclass(frozen=True)
class Group:
    """One line of a report: one problem, or one rule broken in many cells of a column."""

    problems: tuple[Problem, ...]

    @property
    def first(self) -> Problem:
        return self.problems[0]

    @property
    def count(self) -> int:
        return len(self.problems)

    @property
    def rows(self) -> str:
        """'2, 3, 4 …' for a collapsed group; the row (or '') for one problem."""
        numbers = [p.row for p in self.problems if p.row is not None]
        shown = ", ".join(str(n) for n in numbers[:SHOWN_ROWS])
        return shown + (" …" if len(numbers) > SHOWN_ROWS else "")

    @property
    def values(self) -> str:
        found = []
        for p in self.problems:
            if p.value is not None and shown_value(p.value) not in found:
                found.append(shown_value(p.value))
        shown = ", ".join(found[:5])
        return shown + (" …" if len(found) > 5 else "")

    def describe(self) -> str:
        if self.count == 1:
            return self.first.describe()
        p = self.first
        where = [f"bestand {p.file}"]
        if p.sheet:
            where.append(f"tabblad '{p.sheet}'")
        column = p.where_column or "dit tabblad"
        label = "WAARSCHUWING " if p.severity == "waarschuwing" else ""
        values = f" (waarden: {self.values})" if self.values else ""
        return (
            f"{label}{', '.join(where)}: {self.count} cellen in {column}: {p.message}"
            f"{values}; eerste: rij {self.rows} [regel: {p.rule}]"
        )


def grouped(problems: list[Problem]) -> list[Group]:
    """The report's lines, in ``ordered`` order: a rule broken in ``COLLAPSE_FROM`` or more
    cells of one column is one line, placed where its first cell is."""
    same: dict[tuple, list[Problem]] = {}
    for p in ordered(problems):
        key = (p.severity, p.sheet, p.column, p.letter, p.rule, p.message)
        same.setdefault(key, []).append(p)
    lines: list[Group] = []
    for members in same.values():
        if len(members) >= COLLAPSE_FROM and members[0].row is not None:
            lines.append(Group(tuple(members)))
        else:
            lines += [Group((p,)) for p in members]
    position = {id(p): i for i, p in enumerate(ordered(problems))}
    return sorted(lines, key=lambda g: position[id(g.first)])


def lines(problems: list[Problem]) -> list[str]:
    """What `capmon check` prints: one line per problem or per collapsed group."""
    return [group.describe() for group in grouped(problems)]


def summary(name: str, problems: list[Problem]) -> str:
    errors = sum(p.severity == "fout" for p in problems)
    warnings = len(problems) - errors
    if errors:
        return (
            f"{name} is AFGEKEURD: {errors} fout(en) en {warnings} waarschuwing(en). "
            "Er is niets geladen; herstel de fouten en lever het bestand opnieuw aan."
        )
    if warnings:
        return f"{name} is goedgekeurd met {warnings} waarschuwing(en); controleer ze."
    return f"{name} is goedgekeurd: geen fouten of waarschuwingen."


def reasons(problems: list[Problem]) -> tuple[str | None, str | None]:
    """(hoofdreden, redenen) of a file's errors, for the ledger; (None, None) without errors.

    ``hoofdreden`` describes the rule broken most often (ties: the first one in the report),
    ``redenen`` lists every broken rule with its count, most frequent first:
    ``type (3), verplicht (1)``. Warnings are counted in the ledger, not listed here.
    """
    counts = Counter(p.rule for p in problems if p.severity == "fout")
    if not counts:
        return None, None
    ranked = counts.most_common()  # stable: equal counts keep the report's order
    main = ranked[0][0]
    first = next(p for p in problems if p.rule == main)
    words = RULE_WORDS.get(main) or first.message[:1].upper() + first.message[1:]
    return words, ", ".join(f"{rule} ({count})" for rule, count in ranked)


def _jsonable(value: object) -> object:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def write_json(path: Path, name: str, problems: list[Problem], extra: dict) -> Path:
    payload = {
        "bestand": name,
        "samenvatting": summary(name, problems),
        "aantal_fouten": sum(p.severity == "fout" for p in problems),
        "aantal_waarschuwingen": sum(p.severity != "fout" for p in problems),
        **extra,
        # For people: one line per problem, or per rule broken in many cells of a column.
        "overzicht": [
            {
                "soort": group.first.severity,
                "tabblad": group.first.sheet,
                "kolom": group.first.column,
                "kolomletter": group.first.letter,
                "regel": group.first.rule,
                "melding": group.first.message,
                "aantal": group.count,
                "rijen": [p.row for p in group.problems if p.row is not None],
                "uitleg": group.describe(),
            }
            for group in grouped(problems)
        ],
        # Every cell, for tools (and for the ledger's rebuild from a report: restore.py).
        "problemen": [
            {k: _jsonable(v) for k, v in asdict(p).items()} | {"uitleg": p.describe()}
            for p in ordered(problems)
        ],
    }
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def _html_row(group: Group) -> str:
    p = group.first
    cells = (
        SEVERITY_WORDS.get(p.severity, p.severity),
        p.sheet,
        group.rows,
        (p.where_column or "").removeprefix("kolommen ").removeprefix("kolom ").strip("'"),
        group.values,
        p.message if group.count == 1 else f"{group.count} cellen: {p.message}",
        p.rule,
    )
    return (
        "<tr>"
        + "".join(f"<td>{html.escape('' if v is None else str(v))}</td>" for v in cells)
        + "</tr>"
    )


def write_html(path: Path, name: str, problems: list[Problem]) -> Path:
    rows = "\n".join(_html_row(group) for group in grouped(problems))
    page = f"""<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>Controle {html.escape(name)}</title>
<style>body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse}}
td,th{{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}}
th{{background:#eee}}</style></head><body>
<h1>Controle van {html.escape(name)}</h1>
<p><strong>{html.escape(summary(name, problems))}</strong></p>
<p>Rijnummers en kolomletters zijn zoals u ze in Excel ziet (de kopregel is rij 1). Staat
dezelfde fout in veel cellen van een kolom, dan staat hij hier één keer, met de eerste rijen.
De regels staan in het tabblad 'toelichting' van het template en in de uitwisselstandaard.</p>
<table><tr><th>soort</th><th>tabblad</th><th>rij</th><th>kolom</th><th>waarde</th>
<th>wat is er mis</th><th>regel</th></tr>
{rows}
</table></body></html>
"""
    path.write_text(page, encoding="utf-8")
    return path
