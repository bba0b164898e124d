"""The bulk import of centres from a spreadsheet (XLSX or CSV): a dry run that names every row's
errors, then one all-or-nothing write. Rows are matched to the registry on the unified social credit
code or the registry key, so importing the same file again changes nothing.

Checked set-wise: the whole file against the registry in a handful of queries (5,000 rows in a few
seconds), not one query per row. The rules that need no query are the centres' own
(`centres.services.centre_rule_errors`); uniqueness is checked here over the file and the registry at
once. The columns are documented in docs/centre-import.md and in the template's second sheet.
"""

import csv
import hashlib
import io
import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from openpyxl import Workbook, load_workbook

from commissioners.models import District, Role, User
from core.time import EARLIEST_RECORDED_DAY

from .models import Centre, CentreImport, CentreImportState, CentreStatus, CentreType, ResearchField
from .models.centre import credit_code_check_character
from .scheduling import refresh_next_contact_due
from .selectors import IMPORTER_ROLES
from .services import centre_rule_errors

logger = logging.getLogger(__name__)
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000
MAX_STAFF = 1_000_000
BATCH = 1_000

NOT_ALLOWED_TO_IMPORT = _("Only city commissioners and administrators import centres.")
FILE_TOO_LARGE = _("The file is larger than %(size)s MB.")
FILE_EMPTY = _("The file is empty.")
FILE_UNREADABLE = _("The file could not be read as an XLSX workbook or a CSV file (UTF-8 or GB18030).")
FILE_NOT_A_SPREADSHEET = _("Only .xlsx and .csv files can be imported.")
TOO_MANY_ROWS = _("The file has more than %(max)s rows; split it into smaller files.")
NO_ROWS = _("The file has a header row but no centres under it.")
UNKNOWN_COLUMN = _("Column “%(column)s” is not one of the import's columns.")
MISSING_COLUMN = _("The required column “%(column)s” is missing.")
REPEATED_COLUMN = _("Column “%(column)s” appears twice.")
ALREADY_IMPORTED = _("This import was already written.")
NOT_READY = _("This file has rows with errors; fix them and upload it again.")
CHANGED_SINCE_CHECK = _(
    "The registry changed since the dry run and these rows no longer pass; nothing was written."
)

CHECKED_AGAIN = _(
    "The registry changed while importing and nothing was written. The file was checked again: "
    "read the new report and import it again."
)
REQUIRED = _("This column is required.")
TOO_LONG = _("At most %(max)s characters.")
NOT_A_WHOLE_NUMBER = _("A whole number from 0 to %(max)s is expected.")
NOT_A_DATE = _("A date such as 2024-05-31 is expected.")
DATE_OUT_OF_RANGE = _("The date must lie between %(first)s and today.")
NOT_YES_OR_NO = _("Yes or no is expected (yes/no, 是/否, 1/0).")
UNKNOWN_CHOICE = _("“%(value)s” is not one of: %(choices)s.")
UNKNOWN_COUNTRY = _("“%(value)s” is not a country or region (an ISO code such as DE, or its name).")
UNKNOWN_DISTRICT = _("“%(value)s” is not a district of Shanghai.")
UNKNOWN_FIELDS = _("Not fields of research: %(values)s.")
UNKNOWN_COMMISSIONER = _("“%(value)s” is not the user name of a district commissioner.")
NO_KEY = _(
    "Each row needs a unified social credit code or a registry key, so that importing it again finds the same centre."
)
KEYS_OF_TWO_CENTRES = _("The credit code and the registry key belong to two different registered centres.")
REPEATED_IN_FILE = _("The same value is already on row %(row)s.")
NAME_TAKEN = _("A centre with this name is already registered in this district.")

TRUE_WORDS = frozenset({"yes", "y", "true", "1", "是", "√", "x"})
FALSE_WORDS = frozenset({"no", "n", "false", "0", "否", ""})
LIST_SEPARATORS = re.compile(r"[;；,，、|]")


@dataclass(frozen=True)
class Column:
    key: str
    label: Any  # lazy, translated
    help: Any
    required: bool = False


COLUMNS: tuple[Column, ...] = (
    Column(
        "credit_code",
        _("unified social credit code"),
        _("18 characters (GB 32100-2015); this or the registry key is required."),
    ),
    Column(
        "registry_key", _("registry key"), _("The centre's key in your own registry, up to 64 characters.")
    ),
    Column("name_zh", _("name (Chinese)"), _("Up to 200 characters; unique in its district."), True),
    Column("name_en", _("name (English)"), _("Up to 200 characters; unique in its district."), True),
    Column("parent_company", _("parent company"), _("Up to 200 characters."), True),
    Column(
        "parent_country",
        _("parent company's country or region"),
        _("ISO code (DE, US, JP) or the name in English or Chinese."),
        True,
    ),
    Column("district", _("district"), _("The district's code (xuhui) or name (徐汇区, Xuhui)."), True),
    Column("centre_type", _("centre type"), _("One of the centre types, by code or name."), True),
    Column("in_free_trade_zone", _("in the Pilot Free Trade Zone"), _("yes or no (blank is no).")),
    Column("in_lingang", _("in the Lingang Special Area"), _("yes or no (blank is no).")),
    Column("in_zhangjiang", _("in Zhangjiang"), _("yes or no (blank is no).")),
    Column("recognised_on", _("recognition date"), _("A date such as 2024-05-31; blank if not recognised.")),
    Column(
        "full_time_rd_staff", _("full-time R&D staff"), _("A whole number, at most the total staff."), True
    ),
    Column("total_staff", _("total staff"), _("A whole number."), True),
    Column("research_fields", _("fields of research"), _("Codes or names, separated by ; or 、")),
    Column(
        "commissioner",
        _("district commissioner"),
        _("User name of a district commissioner of the centre's district; blank for all of them."),
    ),
    Column("status", _("status"), _("active or closed (blank is active).")),
)
CENTRE_COLUMNS = tuple(c.key for c in COLUMNS if c.key != "research_fields")


class ImportFileError(ValidationError):
    """The file as a whole cannot be read: nothing row by row to report."""


@dataclass
class RowError:
    row: int | None  # None: the file as a whole
    column: str
    message: str


@dataclass
class CheckedRow:
    number: int  # the spreadsheet's row number, the header being row 1
    values: dict[str, Any]
    research_fields: set[int]
    centre: Centre | None = None  # the registered centre it matches
    action: str = "create"  # create, update or unchanged


@dataclass
class ImportCheck:
    rows: list[CheckedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        counts = {"create": 0, "update": 0, "unchanged": 0}
        for row in self.rows:
            counts[row.action] += 1
        return counts


# --- Reading the file -----------------------------------------------------------------------------


def _read_xlsx(content: bytes) -> Iterator[list[Any]]:
    workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        for row in workbook.worksheets[0].iter_rows(values_only=True):
            yield list(row)
    finally:
        workbook.close()


def _read_csv(content: bytes) -> Iterator[list[Any]]:
    # Excel saves CSV as UTF-8 with a BOM, or in the system's GB18030 on a Chinese Windows.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportFileError(FILE_UNREADABLE, code="unreadable")
    if "\x00" in text:
        raise ImportFileError(FILE_UNREADABLE, code="unreadable")
    # The header row tells the separator: a comma, or the semicolon or tab of some locales' Excel.
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    yield from csv.reader(io.StringIO(text), delimiter=delimiter)


def _spellings(key: str, label: Any) -> list[str]:
    """The ways a cell may name a column or a choice: its key and its label in either language."""
    spellings = [_normal(key)]
    for language in ("zh-hans", "en"):
        with translation.override(language):
            spellings.append(_normal(str(label)))
    return spellings


def _header_names(columns: tuple[Column, ...]) -> dict[str, str]:
    """Every spelling of each column's name a header may use."""
    return {name: column.key for column in columns for name in _spellings(column.key, column.label)}


def _normal(text: str) -> str:
    return re.sub("[\\s*\uff0a]+", "", str(text)).casefold()


def read_rows(*, file_name: str, content: bytes) -> list[tuple[int, dict[str, Any]]]:
    """The file's rows as (row number, {column key: cell}); blank rows are skipped."""
    return read_table(
        file_name=file_name,
        content=content,
        columns=COLUMNS,
        max_bytes=MAX_FILE_BYTES,
        max_rows=MAX_ROWS,
        no_rows=NO_ROWS,
    )


def read_table(
    *,
    file_name: str,
    content: bytes,
    columns: tuple[Column, ...],
    max_bytes: int,
    max_rows: int,
    no_rows: Any,
) -> list[tuple[int, dict[str, Any]]]:
    """A spreadsheet's rows under its header of `columns` (the reading every import shares: the
    benefits' too): (row number, {column key: cell}); blank rows are skipped."""
    if len(content) > max_bytes:
        raise ImportFileError(FILE_TOO_LARGE % {"size": max_bytes // (1024 * 1024)}, code="too_large")
    if not content:
        raise ImportFileError(FILE_EMPTY, code="empty")
    name = file_name.lower()
    is_xlsx = content[:2] == b"PK"
    if not (name.endswith(".xlsx") or name.endswith(".csv")):
        raise ImportFileError(FILE_NOT_A_SPREADSHEET, code="not_a_spreadsheet")
    try:
        lines = _read_xlsx(content) if is_xlsx else _read_csv(content)
        return _rows_under_header(lines, columns=columns, max_rows=max_rows, no_rows=no_rows)
    except ImportFileError:
        raise
    except Exception as error:
        # Whatever a damaged or hostile workbook makes openpyxl or zipfile raise (BadZipFile,
        # KeyError, XML ParseError, EOFError, ...), the user's answer is the same: unreadable.
        logger.info("import: unreadable file %r: %r", file_name, error)
        raise ImportFileError(FILE_UNREADABLE, code="unreadable") from error


def _rows_under_header(
    lines: Iterator[list[Any]], *, columns: tuple[Column, ...], max_rows: int, no_rows: Any
) -> list[tuple[int, dict[str, Any]]]:
    header = next(lines, None)
    if not header or all(_blank(cell) for cell in header):
        raise ImportFileError(FILE_EMPTY, code="empty")
    names = _header_names(columns)
    keys: list[str | None] = []
    problems = []
    for cell in header:
        if _blank(cell):
            keys.append(None)
            continue
        key = names.get(_normal(cell))
        if key is None:
            problems.append(UNKNOWN_COLUMN % {"column": str(cell).strip()[:60]})
        elif key in keys:
            problems.append(REPEATED_COLUMN % {"column": str(cell).strip()[:60]})
        keys.append(key)
    for column in columns:
        if column.required and column.key not in keys:
            problems.append(MISSING_COLUMN % {"column": column.label})
    if problems:
        raise ImportFileError(problems, code="columns")
    rows = []
    for number, line in enumerate(lines, start=2):
        if all(_blank(cell) for cell in line):
            continue
        if len(rows) >= max_rows:
            raise ImportFileError(TOO_MANY_ROWS % {"max": max_rows}, code="too_many_rows")
        # Every column of the header, a short CSV line's missing cells as None: an import may tell
        # a column left out of the file (keep what is recorded) from a blank cell.
        cells = list(line) + [None] * (len(keys) - len(line))
        rows.append((number, {key: cell for key, cell in zip(keys, cells, strict=False) if key}))
    if not rows:
        raise ImportFileError(no_rows, code="no_rows")
    return rows


def _blank(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


# --- Reading the cells ----------------------------------------------------------------------------


class CellError(Exception):
    def __init__(self, message: Any):
        self.message = message


def _text(cell: Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)  # a code typed into a number cell
    return str(cell).strip()


def _text_parser(max_length: int) -> Callable[[Any], str]:
    def parse(cell: Any) -> str:
        value = _text(cell)
        if len(value) > max_length:
            raise CellError(TOO_LONG % {"max": max_length})
        return value

    return parse


def _whole_number(cell: Any) -> int:
    if isinstance(cell, bool):
        raise CellError(NOT_A_WHOLE_NUMBER % {"max": MAX_STAFF})
    if isinstance(cell, float):
        if not cell.is_integer():
            raise CellError(NOT_A_WHOLE_NUMBER % {"max": MAX_STAFF})
        cell = int(cell)
    text = _text(cell).replace(",", "")
    if not re.fullmatch(r"\d{1,7}", text) or int(text) > MAX_STAFF:
        raise CellError(NOT_A_WHOLE_NUMBER % {"max": MAX_STAFF})
    return int(text)


def _yes_no(cell: Any) -> bool:
    word = _text(cell).casefold()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellError(NOT_YES_OR_NO)


DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日")


def _day(cell: Any) -> date | None:
    if isinstance(cell, datetime):
        value = cell.date()
    elif isinstance(cell, date):
        value = cell
    else:
        text = _text(cell)
        if not text:
            return None
        for pattern in DATE_FORMATS:
            try:
                value = datetime.strptime(text, pattern).date()
                break
            except ValueError:
                continue
        else:
            raise CellError(NOT_A_DATE)
    if not EARLIEST_RECORDED_DAY <= value <= timezone.localdate():
        raise CellError(DATE_OUT_OF_RANGE % {"first": EARLIEST_RECORDED_DAY.isoformat()})
    return value


class Lookups:
    """The reference data a file's cells name, read once per check."""

    def __init__(self):
        self.districts: dict[str, District] = {}
        for district in District.objects.all():
            for name in (district.code, district.name_zh, district.name_en):
                self.districts[_normal(name)] = district
            # 徐汇 for 徐汇区, "Xuhui District" for Xuhui
            self.districts.setdefault(_normal(district.name_zh.removesuffix("区")), district)
            self.districts.setdefault(_normal(f"{district.name_en} District"), district)
        self.fields: dict[str, int] = {}
        for research_field in ResearchField.objects.all():
            for name in (research_field.code, research_field.name_zh, research_field.name_en):
                self.fields[_normal(name)] = research_field.pk
        self.commissioners = {
            user.username.casefold(): user
            for user in User.objects.filter(role=Role.DISTRICT_COMMISSIONER, is_active=True)
        }
        self.centre_types = _choice_names(CentreType)
        self.statuses = _choice_names(CentreStatus)

    def district(self, cell: Any) -> District:
        value = _text(cell)
        try:
            return self.districts[_normal(value)]
        except KeyError:
            raise CellError(UNKNOWN_DISTRICT % {"value": value[:60]}) from None

    def research_fields(self, cell: Any) -> set[int]:
        names = [name.strip() for name in LIST_SEPARATORS.split(_text(cell)) if name.strip()]
        unknown = [name for name in names if _normal(name) not in self.fields]
        if unknown:
            raise CellError(UNKNOWN_FIELDS % {"values": "; ".join(name[:60] for name in unknown[:5])})
        return {self.fields[_normal(name)] for name in names}

    def commissioner(self, cell: Any) -> User | None:
        value = _text(cell)
        if not value:
            return None
        try:
            return self.commissioners[value.casefold()]
        except KeyError:
            raise CellError(UNKNOWN_COMMISSIONER % {"value": value[:60]}) from None


def _choice_names(choices) -> dict[str, str]:
    return {name: value for value, label in choices.choices for name in _spellings(value, label)}


def _choice(names: dict[str, str], choices, cell: Any, default: str | None = None) -> str:
    value = _text(cell)
    if not value and default is not None:
        return default
    try:
        return names[_normal(value)]
    except KeyError:
        listed = ", ".join(str(label) for label in choices.labels)
        raise CellError(UNKNOWN_CHOICE % {"value": value[:60], "choices": listed}) from None


def _country(cell: Any) -> str:
    value = _text(cell)
    if len(value) == 2 and value.upper() in dict(countries):
        return value.upper()
    for language in ("en", "zh-hans"):
        code = countries.by_name(value, language=language)
        if code:
            return code
    raise CellError(UNKNOWN_COUNTRY % {"value": value[:60]})


def _parsers(lookups: Lookups) -> dict[str, Callable[[Any], Any]]:
    return {
        "credit_code": lambda cell: _text(cell).upper().replace(" ", ""),
        "registry_key": _text_parser(64),
        "name_zh": _text_parser(200),
        "name_en": _text_parser(200),
        "parent_company": _text_parser(200),
        "parent_country": _country,
        "district": lookups.district,
        "centre_type": lambda cell: _choice(lookups.centre_types, CentreType, cell),
        "in_free_trade_zone": _yes_no,
        "in_lingang": _yes_no,
        "in_zhangjiang": _yes_no,
        "recognised_on": _day,
        "full_time_rd_staff": _whole_number,
        "total_staff": _whole_number,
        "research_fields": lookups.research_fields,
        "commissioner": lookups.commissioner,
        "status": lambda cell: _choice(lookups.statuses, CentreStatus, cell, default=CentreStatus.ACTIVE),
    }


# --- Checking ---------------------------------------------------------------------------------------


def check_rows(*, actor: User, rows: list[tuple[int, dict[str, Any]]]) -> ImportCheck:
    """Every row's errors, or what importing it would do (create, update, leave unchanged)."""
    lookups = Lookups()
    parsers = _parsers(lookups)
    labels = {column.key: str(column.label) for column in COLUMNS}
    required = {column.key for column in COLUMNS if column.required}
    check = ImportCheck()
    for number, cells in rows:
        values, row_errors = {}, []
        for column in COLUMNS:
            cell = cells.get(column.key)
            if _blank(cell) and column.key in required:
                row_errors.append(RowError(number, labels[column.key], str(REQUIRED)))
                continue
            try:
                values[column.key] = parsers[column.key](cell)
            except CellError as error:
                row_errors.append(RowError(number, labels[column.key], str(error.message)))
        if not row_errors and not (values["credit_code"] or values["registry_key"]):
            row_errors.append(RowError(number, labels["credit_code"], str(NO_KEY)))
        if row_errors:
            check.errors.extend(row_errors)
            continue
        fields = values.pop("research_fields") or set()
        check.rows.append(CheckedRow(number=number, values=values, research_fields=fields))
    _match_registered(check, labels)
    _check_rules(check, actor, labels)
    _check_unique(check, labels)
    check.errors.sort(key=lambda error: error.row)
    return check


def _match_registered(check: ImportCheck, labels: dict[str, str]) -> None:
    codes = {row.values["credit_code"] for row in check.rows} - {""}
    keys = {row.values["registry_key"] for row in check.rows} - {""}
    by_code = {c.credit_code: c for c in Centre.objects.filter(credit_code__in=codes)} if codes else {}
    by_key = {c.registry_key: c for c in Centre.objects.filter(registry_key__in=keys)} if keys else {}
    matched = [c.pk for c in (*by_code.values(), *by_key.values())]
    fields_of: dict[int, set[int]] = {}
    for centre_id, field_id in Centre.research_fields.through.objects.filter(
        centre_id__in=matched
    ).values_list("centre_id", "researchfield_id"):
        fields_of.setdefault(centre_id, set()).add(field_id)
    kept = []
    for row in check.rows:
        found_by_code = by_code.get(row.values["credit_code"])
        found_by_key = by_key.get(row.values["registry_key"])
        if found_by_code and found_by_key and found_by_code.pk != found_by_key.pk:
            check.errors.append(RowError(row.number, labels["registry_key"], str(KEYS_OF_TWO_CENTRES)))
            continue
        row.centre = found_by_code or found_by_key
        if row.centre is not None:
            same = all(
                getattr(row.centre, name) == value
                for name, value in row.values.items()
                if name not in ("district", "commissioner")
            )
            same = (
                same
                and row.centre.district_id == row.values["district"].pk
                and row.centre.commissioner_id == getattr(row.values["commissioner"], "pk", None)
                and fields_of.get(row.centre.pk, set()) == row.research_fields
            )
            row.action = "unchanged" if same else "update"
        kept.append(row)
    check.rows = kept


def _as_centre(row: CheckedRow) -> Centre:
    """The centre as the row would leave it (a copy: the registered one is written only on import)."""
    centre = Centre(pk=row.centre.pk if row.centre else None)
    if row.centre is not None:
        for name in ("created_at", "guidance_class", "last_contacted_on"):
            setattr(centre, name, getattr(row.centre, name))
    for name, value in row.values.items():
        setattr(centre, name, value)
    return centre


def _check_rules(check: ImportCheck, actor: User, labels: dict[str, str]) -> None:
    kept = []
    for row in check.rows:
        errors = centre_rule_errors(centre=_as_centre(row), actor=actor, writer_roles=IMPORTER_ROLES)
        for name, message in errors.items():
            check.errors.append(RowError(row.number, labels.get(name, name), str(message)))
        if not errors:
            kept.append(row)
    check.rows = kept


def _check_unique(check: ImportCheck, labels: dict[str, str]) -> None:
    """Credit codes and registry keys once in the file; names once per district in the file and in
    the registry (a row's own centre aside)."""
    seen: dict[tuple, int] = {}
    districts = {row.values["district"].pk for row in check.rows}
    taken: dict[tuple, int] = {}
    for pk, district_id, name_zh, name_en in (
        Centre.objects.filter(district_id__in=districts)
        .annotate(zh=Lower("name_zh"), en=Lower("name_en"))
        .values_list("pk", "district_id", "zh", "en")
    ):
        taken[("name_zh", district_id, name_zh)] = pk
        taken[("name_en", district_id, name_en)] = pk
    kept = []
    for row in check.rows:
        own = row.centre.pk if row.centre else None
        district_id = row.values["district"].pk
        signatures = [
            (name, (name, row.values[name])) for name in ("credit_code", "registry_key") if row.values[name]
        ] + [(name, (name, district_id, row.values[name].lower())) for name in ("name_zh", "name_en")]
        errors = []
        for name, signature in signatures:
            if signature in seen:
                errors.append(
                    RowError(row.number, labels[name], str(REPEATED_IN_FILE % {"row": seen[signature]}))
                )
            elif taken.get(signature, own) != own:
                errors.append(RowError(row.number, labels[name], str(NAME_TAKEN)))
        for _name, signature in signatures:
            seen.setdefault(signature, row.number)
        if errors:
            check.errors.extend(errors)
        else:
            kept.append(row)
    check.rows = kept


# --- The two steps ------------------------------------------------------------------------------


def _report(check: ImportCheck) -> dict[str, Any]:
    return {
        "errors": [{"row": e.row, "column": e.column, "message": e.message} for e in check.errors],
        **check.counts(),
        "language": translation.get_language() or "zh-hans",
    }


def _file_report(error: ImportFileError) -> dict[str, Any]:
    return _report(ImportCheck(errors=[RowError(None, "", message) for message in error.messages]))


def centre_import_check(*, actor: User, file_name: str, content: bytes) -> CentreImport:
    """The dry run: reads and checks the whole file, writes no centre, and keeps the upload with
    its report (state `checked` when every row passed, `refused` otherwise)."""
    if actor.role not in IMPORTER_ROLES:
        raise PermissionDenied(NOT_ALLOWED_TO_IMPORT)
    try:
        rows = read_rows(file_name=file_name, content=content)
    except ImportFileError as error:
        report, row_count, state = _file_report(error), 0, CentreImportState.REFUSED
    else:
        check = check_rows(actor=actor, rows=rows)
        report, row_count = _report(check), len(rows)
        state = CentreImportState.REFUSED if check.errors else CentreImportState.CHECKED
    return CentreImport.objects.create(
        uploaded_by=actor,
        file_name=file_name[:255],
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        state=state,
        row_count=row_count,
        report=report,
    )


def centre_import_upload(*, actor: User, upload) -> CentreImport:
    """The dry run of an uploaded file (the page's and the API's), read no further than one byte
    past the limit: a larger file is refused for its size without being held in memory."""
    return centre_import_check(actor=actor, file_name=upload.name, content=upload.read(MAX_FILE_BYTES + 1))


def centre_import_apply(*, actor: User, centre_import: CentreImport) -> CentreImport:
    """Writes a checked import: every row or none. The file is checked again, inside the
    transaction, against the registry as it is now; a second apply of the same import is refused."""
    if actor.role not in IMPORTER_ROLES:
        raise PermissionDenied(NOT_ALLOWED_TO_IMPORT)
    with transaction.atomic():
        locked = CentreImport.objects.select_for_update().get(pk=centre_import.pk)
        if locked.state == CentreImportState.IMPORTED:
            raise ValidationError(ALREADY_IMPORTED, code="already_imported")
        if locked.state != CentreImportState.CHECKED:
            raise ValidationError(NOT_READY, code="not_ready")
        rows = read_rows(file_name=locked.file_name, content=bytes(locked.content))
        check = check_rows(actor=actor, rows=rows)
        written = False
        if not check.errors:
            try:
                with transaction.atomic():
                    _write(check)
                written = True
            except IntegrityError:
                # A centre registered by someone else between the check and the write: the
                # unique constraints refuse it, and the file is checked once more to say which.
                check = check_rows(actor=actor, rows=rows)
        locked.report = _report(check)
        if written:
            locked.state = CentreImportState.IMPORTED
            locked.imported_at = timezone.now()
            locked.imported_by = actor
        else:
            # Still passing once checked again (a centre of the file registered meanwhile is now
            # one to update): it may be imported again as it now reads.
            locked.state = CentreImportState.REFUSED if check.errors else CentreImportState.CHECKED
        locked.save(update_fields=["state", "imported_at", "imported_by", "report"])
    if not written:
        message = CHANGED_SINCE_CHECK if check.errors else CHECKED_AGAIN
        raise ValidationError(message, code="changed_since_check")
    return locked


def _write(check: ImportCheck) -> None:
    now = timezone.now()
    new_rows = [row for row in check.rows if row.action == "create"]
    changed_rows = [row for row in check.rows if row.action == "update"]
    new = Centre.objects.bulk_create((_as_centre(row) for row in new_rows), batch_size=BATCH)
    changed = []
    for row in changed_rows:
        centre = _as_centre(row)
        centre.updated_at = now
        changed.append(centre)
    Centre.objects.bulk_update(changed, [*CENTRE_COLUMNS, "updated_at"], batch_size=BATCH)
    through = Centre.research_fields.through
    through.objects.filter(centre_id__in=[c.pk for c in changed]).delete()
    written = [*zip(new, new_rows, strict=True), *zip(changed, changed_rows, strict=True)]
    through.objects.bulk_create(
        (
            through(centre_id=centre.pk, researchfield_id=field_id)
            for centre, row in written
            for field_id in row.research_fields
        ),
        batch_size=BATCH * 5,
    )
    refresh_next_contact_due(Centre.objects.filter(pk__in=[c.pk for c in new]))


# --- The template -----------------------------------------------------------------------------------


def import_template_xlsx() -> bytes:
    """A workbook to fill in: the header row in the user's language, one example row, and a second
    sheet naming each column, whether it is required, and what it takes."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = gettext("Centres")
    sheet.append([f"{column.label}{' *' if column.required else ''}" for column in COLUMNS])
    sheet.append(example_row())
    for index in range(1, len(COLUMNS) + 1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = 22
    sheet.freeze_panes = "A2"
    guide = workbook.create_sheet(gettext("Columns"))
    guide.append([gettext("Column"), gettext("Key"), gettext("Required"), gettext("What it takes")])
    for column in COLUMNS:
        guide.append(
            [
                str(column.label),
                column.key,
                gettext("yes") if column.required else gettext("no"),
                str(column.help),
            ]
        )
    guide.append([])
    guide.append([gettext("Districts"), ", ".join(f"{d.code} ({d.name})" for d in District.objects.all())])
    guide.append([gettext("Centre types"), ", ".join(f"{v} ({label})" for v, label in CentreType.choices)])
    guide.append(
        [
            gettext("Fields of research"),
            ", ".join(f"{f.code} ({f.name})" for f in ResearchField.objects.all()),
        ]
    )
    for letter, width in (("A", 28), ("B", 22), ("C", 10), ("D", 80)):
        guide.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def import_template_csv() -> bytes:
    """The same header and example row as CSV, UTF-8 with a BOM so that Excel reads the Chinese."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([str(column.label) for column in COLUMNS])
    writer.writerow(example_row())
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def example_row() -> list[Any]:
    district = District.objects.order_by("order", "code").first()
    research_field = ResearchField.objects.order_by("code").first()
    example = {
        "credit_code": "91310000MA1K3Y5B2",
        "registry_key": "SH-RD-0001",
        "name_zh": "示例研发中心",
        "name_en": "Example R&D Centre",
        "parent_company": "Example GmbH",
        "parent_country": "DE",
        "district": district.code if district else "",
        "centre_type": CentreType.RD_CENTRE.value,
        "in_free_trade_zone": "no",
        "in_lingang": "no",
        "in_zhangjiang": "yes",
        "recognised_on": "2024-05-31",
        "full_time_rd_staff": 40,
        "total_staff": 60,
        "research_fields": research_field.code if research_field else "",
        "commissioner": "",
        "status": CentreStatus.ACTIVE.value,
    }
    example["credit_code"] += credit_code_check_character(example["credit_code"])
    return [example[column.key] for column in COLUMNS]
