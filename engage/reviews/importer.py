"""Reading applications from a CSV file: every bad row is reported, none is half-read.

Expected columns (first line), in any order: acronym, title, lay_summary,
summary_language (fr or en), team, institutions, keywords. Institutions and
keywords are separated by semicolons. Commas or semicolons separate the columns;
the file is UTF-8 (a spreadsheet's "CSV UTF-8").
"""

import csv
import io
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from engage.core.errors import DomainError

REQUIRED_COLUMNS = ("acronym", "title", "lay_summary")
OPTIONAL_COLUMNS = ("summary_language", "team", "institutions", "keywords")
LIMITS = {"acronym": 30, "title": 300, "lay_summary": 20000, "team": 5000,
          "institutions": 5000, "keywords": 2000}
MAX_ROWS = 500


@dataclass(frozen=True)
class RowProblem:
    line: int
    reason: str


class ImportProblems(DomainError):
    """The file was refused; `problems` lists each bad row with its line number."""

    def __init__(self, problems: list[RowProblem]):
        super().__init__(_l("Nothing was imported: please correct the file and send it again."))
        self.problems = problems


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportProblems([RowProblem(1, str(_l(
            "The file is not in UTF-8. In your spreadsheet, save it as “CSV UTF-8”.")))]) from error


def _dialect(text: str):
    header = text.split("\n", 1)[0]
    return "excel-semicolon" if header.count(";") > header.count(",") else "excel"


csv.register_dialect("excel-semicolon", delimiter=";")


def parse_applications(data: bytes, existing_acronyms: set[str],
                       languages: list[str]) -> list[dict]:
    """The rows as dicts ready for `Application(**row)`, or ImportProblems."""
    text = _decode(data)
    if not text.strip():
        raise ImportProblems([RowProblem(1, str(_l("The file is empty.")))])
    reader = csv.reader(io.StringIO(text, newline=""), dialect=_dialect(text))
    header = _read_header(reader)
    rows, problems = _read_rows(reader, header, existing_acronyms, languages)
    if problems:
        raise ImportProblems(problems)
    if not rows:
        raise ImportProblems([RowProblem(2, str(_l("The file has no application.")))])
    return rows


def _read_header(reader) -> list[str]:
    """The column names of the first line, lower-cased; ImportProblems if they are wrong."""
    try:
        values = next(reader)
    except csv.Error as error:
        raise ImportProblems([RowProblem(1, str(_l("The file could not be read as CSV.")))]) \
            from error
    if _holds_nul(values):
        raise ImportProblems([RowProblem(1, _nul_reason())])
    header = [column.strip().lower() for column in values]
    _check_header(header)
    return header


def _holds_nul(values: list[str]) -> bool:
    # Python's csv module reads NUL characters; PostgreSQL refuses them in text.
    return any("\x00" in value for value in values)


def _nul_reason() -> str:
    return str(_l("This line contains a null character (NUL), which cannot be stored. Save "
                  "the file again from your spreadsheet as “CSV UTF-8”."))


def _check_header(header: list[str]) -> None:
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    unknown = [c for c in header if c and c not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    reasons = []
    if missing:
        reasons.append(str(_l("Missing columns: %(columns)s.", columns=", ".join(missing))))
    if unknown:
        reasons.append(str(_l("Unknown columns: %(columns)s.", columns=", ".join(unknown))))
    if reasons:
        raise ImportProblems([RowProblem(1, " ".join(reasons))])


def _read_rows(reader, header: list[str], existing_acronyms: set[str],
               languages: list[str]) -> tuple[list[dict], list[RowProblem]]:
    """(the good rows, a problem for each bad one); blank lines are skipped."""
    rows: list[dict] = []
    problems: list[RowProblem] = []
    seen = {a.casefold() for a in existing_acronyms}
    in_file: dict[str, int] = {}
    # A quoted value may span lines: a row starts on the line after the previous one ended.
    previous_end = reader.line_num
    try:
        for values in reader:
            line = previous_end + 1
            previous_end = reader.line_num
            if not any(v.strip() for v in values):
                continue
            if len(rows) + len(problems) >= MAX_ROWS:
                problems.append(RowProblem(line, str(_l(
                    "Too many rows: at most %(count)s per file.", count=MAX_ROWS))))
                break
            row, reasons = _check_row(header, values, languages)
            reasons += _acronym_reasons(row, line, seen, in_file)
            if reasons:
                problems.append(RowProblem(line, " ".join(reasons)))
            else:
                rows.append(row)
    except csv.Error:
        problems.append(RowProblem(previous_end + 1, str(_l(
            "This line could not be read: check the quotation marks."))))
    return rows, problems


def _acronym_reasons(row: dict, line: int, seen: set[str], in_file: dict[str, int]) -> list[str]:
    """Why the row's acronym cannot be used (already in the call, or earlier in the file).

    Records the acronym's first line in `in_file`, so later duplicates point to it.
    """
    acronym = row.get("acronym", "").casefold()
    if not acronym:
        return []
    reasons = []
    if acronym in seen:
        reasons.append(str(_l("The acronym %(acronym)s is already used in this call.",
                              acronym=row["acronym"])))
    elif acronym in in_file:
        reasons.append(str(_l("The acronym %(acronym)s is already on line %(line)s.",
                              acronym=row["acronym"], line=in_file[acronym])))
    in_file.setdefault(acronym, line)
    return reasons


def _check_row(header, values, languages) -> tuple[dict, list[str]]:
    if _holds_nul(values):
        return {}, [_nul_reason()]  # nothing else of the line is worth reading
    reasons = []
    if len(values) != len(header):
        reasons.append(str(_l("Expected %(expected)s columns, found %(found)s.",
                              expected=len(header), found=len(values))))
    row = {column: value.strip() for column, value in zip(header, values, strict=False)
           if column}
    for column in REQUIRED_COLUMNS:
        if not row.get(column):
            reasons.append(str(_l("The column %(column)s is empty.", column=column)))
    for column, limit in LIMITS.items():
        if len(row.get(column, "")) > limit:
            reasons.append(str(_l("The column %(column)s is longer than %(limit)s characters.",
                                  column=column, limit=limit)))
    language = (row.get("summary_language") or languages[0]).lower()
    if language not in languages:
        reasons.append(str(_l("Unknown language %(language)s: use %(languages)s.",
                              language=language, languages=" or ".join(languages))))
    row["summary_language"] = language
    for column in OPTIONAL_COLUMNS:
        row.setdefault(column, "")
    return row, reasons
