"""The import of benefits from a bureau's spreadsheet (XLSX or CSV): a dry run that names every
row's errors, then one all-or-nothing write. A row is matched to a recorded benefit of the same
centre, measure and granting bureau, so importing the same file again changes nothing.

The file is read as the centres import reads it (`centres.imports.read_table`) and checked
set-wise: the centres, measures, bureaus and recorded benefits the file names in a handful of
queries, not one per row. The rules are those of a benefit entered by hand
(`landing.services.benefit_rule_errors`). The columns are documented in docs/benefit-import.md and
in the template's second sheet.
"""

import csv
import hashlib
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook

# The reading of a spreadsheet and of its cells is the centres import's, shared rather than copied.
from centres.imports import (
    KEYS_OF_TWO_CENTRES,
    NOT_A_WHOLE_NUMBER,
    REQUIRED,
    CellError,
    Column,
    ImportFileError,
    RowError,
    _blank,
    _day,
    _normal,
    _spellings,
    _text,
    _text_parser,
    read_table,
)
from centres.models import Centre
from commissioners.models import Bureau, Role, User
from core.changes import change_context
from core.messages import TEXT_REQUIRED
from policies.models import Measure, Programme

from .models import Benefit, BenefitImport, BenefitImportState, BenefitStatus
from .selectors import BENEFIT_IMPORTER_ROLES, centres_to_name
from .services import benefit_rule_errors

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000
MAX_QUANTITY = 2_147_483_647
MAX_AMOUNT = Decimal("999999999999.99")  # the column's 14 digits, 2 of them decimals
BATCH = 1_000

NOT_ALLOWED_TO_IMPORT = _("Only bureau staff, city commissioners and administrators import benefits.")
NOT_YOUR_BUREAUS_IMPORT = _("This import was uploaded by another bureau.")
NO_ROWS = _("The file has a header row but no benefits under it.")
ALREADY_IMPORTED = _("This import was already written.")
NOT_READY = _("This file has rows with errors; fix them and upload it again.")
CHANGED_SINCE_CHECK = _(
    "The recorded benefits changed since the dry run and these rows no longer pass; nothing was written."
)
CHECKED_AGAIN = _(
    "The recorded benefits changed since the dry run and nothing was written. The file was checked "
    "again: read the new report and import it again."
)
NO_CENTRE_KEY = _("Each row needs the centre's unified social credit code or registry key.")
UNKNOWN_CENTRE = _("No centre you may name has this unified social credit code or registry key.")
UNKNOWN_MEASURE = _("“%(value)s” is not the number of a measure of this programme (such as 3).")
UNKNOWN_BUREAU = _("“%(value)s” is not a bureau (its code, such as sh-commerce, or its name).")
UNKNOWN_CHOICE = _("“%(value)s” is not one of: %(choices)s.")
NOT_AN_AMOUNT = _("An amount in yuan from 0 to 999,999,999,999.99, at most two decimals, is expected.")
SAME_BENEFIT_IN_FILE = _("The same centre, measure, bureau and title are already on row %(row)s.")
SEVERAL_RECORDED = _(
    "Several benefits of this centre under this measure from this bureau are recorded: the title "
    "must be that of exactly one of them."
)
IMPORT_REASON = _("benefit import #%(id)s")

# What people write in a bureau's sheet beyond the statuses' own labels.
STATUS_WORDS = {
    BenefitStatus.CONSIDERING: ["拟申请", "考虑", "considered"],
    BenefitStatus.APPLIED: ["申请中", "已提交", "submitted"],
    BenefitStatus.GRANTED: ["已获得", "获得", "已获批", "获批", "批准", "已批准", "received"],
    BenefitStatus.REFUSED: ["未获得", "未批准", "不予批准", "已拒绝", "拒绝", "rejected", "denied"],
}
PROGRAMME_WORDS = {
    Programme.SHANGHAI_2024: ["shanghai", "上海", "2024", "上海2024"],
    Programme.NATIONAL_2023: ["national", "国家", "2023", "国家2023"],
}
MEASURE_NUMBER = re.compile(r"(?:measure|no\.?|#|第|措施)?(\d{1,3})(?:条|项)?", re.IGNORECASE)
# Columns a row may leave out of the file: a recorded benefit keeps what it has.
UPDATED_FIELDS = ("title", "status", "applied_on", "decided_on", "amount", "quantity", "note")

COLUMNS: tuple[Column, ...] = (
    Column(
        "credit_code",
        _("unified social credit code"),
        _("The centre's 18-character code; this or the registry key is required."),
    ),
    Column("registry_key", _("registry key"), _("The centre's key in the registry.")),
    Column(
        "programme",
        _("programme"),
        _(
            "shanghai_2024 (the Shanghai 2024 plan) or national_2023, by code or name; blank is the Shanghai plan."
        ),
    ),
    Column("measure", _("measure"), _("The measure's number in its programme, such as 3."), True),
    Column(
        "title",
        _("what was applied for"),
        _("The subsidy, permit or facility, as the bureau names it; up to 200 characters."),
        True,
    ),
    Column(
        "status",
        _("status"),
        _("considering, applied, granted or refused (考虑中, 已申请, 已获得, 未获批), by code or name."),
        True,
    ),
    Column("applied_on", _("applied on"), _("A date such as 2024-05-31.")),
    Column(
        "decided_on",
        _("granted or refused on"),
        _("A date, required when granted or refused, empty otherwise; not before the application."),
    ),
    Column("amount", _("amount (yuan)"), _("In yuan, at most two decimals; where it is paid.")),
    Column("quantity", _("quantity"), _("A whole number, where it is counted: permits, places.")),
    Column(
        "granting_bureau",
        _("granting bureau"),
        _("The bureau's code or name; for bureau staff blank is, and it must be, their own bureau."),
    ),
    Column("note", _("note"), _("Up to 20,000 characters.")),
)


@dataclass
class CheckedRow:
    number: int  # the spreadsheet's row number, the header being row 1
    values: dict[str, Any]  # of the columns in the file, parsed
    centre: Centre
    measure: Measure
    bureau: Bureau | None
    benefit: Benefit | None = None  # the recorded benefit it matches
    action: str = "create"  # create, update or unchanged

    @property
    def key(self) -> tuple:
        return (self.centre.pk, self.measure.pk, self.bureau.pk if self.bureau else None)


@dataclass
class ImportCheck:
    rows: list[CheckedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        counts = {"create": 0, "update": 0, "unchanged": 0}
        for row in self.rows:
            counts[row.action] += 1
        return counts

    def plan(self) -> str:
        """What the write would do, row by row, to which benefit as it stands now: an apply whose
        plan differs from its dry run's writes nothing."""
        steps = [
            [
                row.number,
                row.action,
                row.benefit.pk if row.benefit else None,
                row.benefit.updated_at.isoformat() if row.benefit else None,
            ]
            for row in self.rows
        ]
        return hashlib.sha256(json.dumps(steps).encode()).hexdigest()


def read_rows(*, file_name: str, content: bytes) -> list[tuple[int, dict[str, Any]]]:
    return read_table(
        file_name=file_name,
        content=content,
        columns=COLUMNS,
        max_bytes=MAX_FILE_BYTES,
        max_rows=MAX_ROWS,
        no_rows=NO_ROWS,
    )


# --- Reading the cells ----------------------------------------------------------------------------


def _words(choices, extra: dict) -> dict[str, str]:
    names = {name: value for value, label in choices.choices for name in _spellings(value, label)}
    for value, words in extra.items():
        for word in words:
            names.setdefault(_normal(word), value)
    return names


def _choice(names: dict[str, str], choices, cell: Any) -> str:
    value = _text(cell)
    try:
        return names[_normal(value)]
    except KeyError:
        listed = ", ".join(f"{key} ({label})" for key, label in choices.choices)
        raise CellError(UNKNOWN_CHOICE % {"value": value[:60], "choices": listed}) from None


def _amount(cell: Any) -> Decimal | None:
    if isinstance(cell, bool):
        raise CellError(NOT_AN_AMOUNT)
    if isinstance(cell, int | float | Decimal):
        text = str(cell)
    else:
        text = re.sub(r"[\s,，¥￥]|元$", "", _text(cell))
    if not text:
        return None
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise CellError(NOT_AN_AMOUNT) from None
    if not amount.is_finite() or not 0 <= amount <= MAX_AMOUNT or amount != amount.quantize(Decimal("0.01")):
        raise CellError(NOT_AN_AMOUNT)
    return amount.quantize(Decimal("0.01"))


def _quantity(cell: Any) -> int | None:
    problem = CellError(NOT_A_WHOLE_NUMBER % {"max": f"{MAX_QUANTITY:,}"})
    if isinstance(cell, bool):
        raise problem
    if isinstance(cell, float):
        if not cell.is_integer():
            raise problem
        cell = int(cell)
    text = _text(cell).replace(",", "")
    if not text:
        return None
    if not re.fullmatch(r"\d{1,10}", text) or int(text) > MAX_QUANTITY:
        raise problem
    return int(text)


class Lookups:
    """The reference data a file's cells name, read once per check: measures and bureaus (a few
    dozen rows each) whole."""

    def __init__(self):
        self.measures = {(m.programme, m.number): m for m in Measure.objects.all()}
        self.bureaus: dict[str, Bureau] = {}
        for bureau in Bureau.objects.all():
            for name in (bureau.code, bureau.name_zh, bureau.name_en):
                self.bureaus.setdefault(_normal(name), bureau)
        self.statuses = _words(BenefitStatus, STATUS_WORDS)
        self.programmes = _words(Programme, PROGRAMME_WORDS)

    def programme(self, cell: Any) -> str:
        return Programme.SHANGHAI_2024 if _blank(cell) else _choice(self.programmes, Programme, cell)

    def measure_number(self, cell: Any) -> int:
        if isinstance(cell, float) and cell.is_integer():
            cell = int(cell)
        value = _text(cell)
        found = MEASURE_NUMBER.fullmatch(_normal(value))
        if isinstance(cell, bool) or not found:
            raise CellError(UNKNOWN_MEASURE % {"value": value[:60]})
        return int(found.group(1))

    def bureau(self, cell: Any) -> Bureau | None:
        value = _text(cell)
        if not value:
            return None
        try:
            return self.bureaus[_normal(value)]
        except KeyError:
            raise CellError(UNKNOWN_BUREAU % {"value": value[:60]}) from None


def _parsers(lookups: Lookups) -> dict[str, Callable[[Any], Any]]:
    return {
        "credit_code": lambda cell: _text(cell).upper().replace(" ", ""),
        "registry_key": _text_parser(64),
        "programme": lookups.programme,
        "measure": lookups.measure_number,
        "title": _text_parser(200),
        "status": lambda cell: _choice(lookups.statuses, BenefitStatus, cell),
        "applied_on": _day,
        "decided_on": _day,
        "amount": _amount,
        "quantity": _quantity,
        "granting_bureau": lookups.bureau,
        "note": _text_parser(20_000),
    }


# --- Checking ---------------------------------------------------------------------------------------


def check_rows(*, actor: User, rows: list[tuple[int, dict[str, Any]]], lock: bool = False) -> ImportCheck:
    """Every row's errors, or what importing it would do (create, update, leave unchanged). With
    `lock` (the import itself), the recorded benefits it may change are locked until the write."""
    lookups = Lookups()
    parsers = _parsers(lookups)
    labels = {column.key: str(column.label) for column in COLUMNS}
    required = {column.key for column in COLUMNS if column.required}
    check = ImportCheck()
    parsed: list[tuple[int, dict[str, Any]]] = []
    for number, cells in rows:
        values, row_errors = {}, []
        for key, cell in cells.items():
            if _blank(cell) and key in required:
                row_errors.append(RowError(number, labels[key], str(REQUIRED)))
                continue
            try:
                values[key] = parsers[key](cell)
            except CellError as error:
                row_errors.append(RowError(number, labels[key], str(error.message)))
        if not row_errors and not (values.get("credit_code") or values.get("registry_key")):
            row_errors.append(RowError(number, labels["credit_code"], str(NO_CENTRE_KEY)))
        if row_errors:
            check.errors.extend(row_errors)
        else:
            parsed.append((number, values))
    _resolve(check, parsed, actor, lookups, labels)
    _match_recorded(check, labels, lock=lock)
    _check_rules(check, actor, labels)
    check.errors.sort(key=lambda error: error.row or 0)
    return check


def _resolve(
    check: ImportCheck, parsed: list[tuple[int, dict]], actor: User, lookups: Lookups, labels: dict
) -> None:
    """Each row's centre (among those the actor may name, one query), measure and bureau."""
    codes = {values.get("credit_code") for _, values in parsed} - {"", None}
    keys = {values.get("registry_key") for _, values in parsed} - {"", None}
    by_code: dict[str, Centre] = {}
    by_key: dict[str, Centre] = {}
    if codes or keys:
        for centre in centres_to_name(user=actor).filter(Q(credit_code__in=codes) | Q(registry_key__in=keys)):
            if centre.credit_code in codes:
                by_code[centre.credit_code] = centre
            if centre.registry_key in keys:
                by_key[centre.registry_key] = centre
    own_bureau = actor.bureau if actor.role == Role.BUREAU_STAFF else None
    for number, values in parsed:
        centre_column = labels["credit_code" if values.get("credit_code") else "registry_key"]
        found_by_code = by_code.get(values.get("credit_code") or "")
        found_by_key = by_key.get(values.get("registry_key") or "")
        errors = []
        if found_by_code and found_by_key and found_by_code.pk != found_by_key.pk:
            errors.append(RowError(number, labels["registry_key"], str(KEYS_OF_TWO_CENTRES)))
        elif (values.get("credit_code") and not found_by_code) or (
            values.get("registry_key") and not found_by_key
        ):
            errors.append(RowError(number, centre_column, str(UNKNOWN_CENTRE)))
        programme = values.pop("programme", Programme.SHANGHAI_2024)
        measure = lookups.measures.get((programme, values["measure"]))
        if measure is None:
            errors.append(
                RowError(number, labels["measure"], str(UNKNOWN_MEASURE % {"value": values["measure"]}))
            )
        if errors:
            check.errors.extend(errors)
            continue
        bureau = values.get("granting_bureau") or own_bureau
        values["granting_bureau"] = bureau
        check.rows.append(
            CheckedRow(
                number=number,
                values=values,
                centre=found_by_code or found_by_key,
                measure=measure,
                bureau=bureau,
            )
        )


def _title(text: str) -> str:
    return _normal(text)


def _match_recorded(check: ImportCheck, labels: dict[str, str], *, lock: bool) -> None:
    """Each row's recorded benefit: the one of its centre, measure and bureau; where there are
    several (in the file or recorded), the one of the same title. One query."""
    recorded: dict[tuple, list[Benefit]] = {}
    if check.rows:
        benefits = Benefit.objects.filter(
            centre_id__in={row.centre.pk for row in check.rows},
            measure_id__in={row.measure.pk for row in check.rows},
        ).order_by("pk")
        if lock:
            benefits = benefits.select_for_update()
        for benefit in benefits:
            recorded.setdefault(
                (benefit.centre_id, benefit.measure_id, benefit.granting_bureau_id), []
            ).append(benefit)
    in_file: dict[tuple, list[CheckedRow]] = {}
    for row in check.rows:
        in_file.setdefault(row.key, []).append(row)
    kept = []
    for row in check.rows:
        same_key = in_file[row.key]
        candidates = recorded.get(row.key, [])
        if len(same_key) == 1 and len(candidates) <= 1:
            row.benefit = candidates[0] if candidates else None
        else:
            first = next(r for r in same_key if _title(r.values["title"]) == _title(row.values["title"]))
            if first is not row:
                check.errors.append(
                    RowError(row.number, labels["title"], str(SAME_BENEFIT_IN_FILE % {"row": first.number}))
                )
                continue
            titled = [b for b in candidates if _title(b.title) == _title(row.values["title"])]
            if len(titled) > 1 or (not titled and len(same_key) == 1):
                check.errors.append(RowError(row.number, labels["title"], str(SEVERAL_RECORDED)))
                continue
            row.benefit = titled[0] if titled else None
        if row.benefit is not None:
            same = all(
                getattr(row.benefit, name) == row.values[name]
                for name in UPDATED_FIELDS
                if name in row.values
            )
            row.action = "unchanged" if same else "update"
        kept.append(row)
    check.rows = kept


def _as_benefit(row: CheckedRow, actor: User | None = None) -> Benefit:
    """The benefit as the row would leave it (a copy: the recorded one is written only on import)."""
    if row.benefit is not None:
        benefit = Benefit(
            **{f.attname: getattr(row.benefit, f.attname) for f in Benefit._meta.concrete_fields}
        )
    else:
        benefit = Benefit(
            centre=row.centre, measure=row.measure, granting_bureau=row.bureau, entered_by=actor
        )
    benefit.centre = row.centre  # the loaded centre: the rules read its district without a query
    for name in UPDATED_FIELDS:
        if name in row.values:
            setattr(benefit, name, row.values[name])
    return benefit


def _check_rules(check: ImportCheck, actor: User, labels: dict[str, str]) -> None:
    kept = []
    for row in check.rows:
        benefit = _as_benefit(row)
        errors = benefit_rule_errors(
            actor=actor,
            centre=row.centre,
            status=benefit.status,
            applied_on=benefit.applied_on,
            decided_on=benefit.decided_on,
            granting_bureau=row.bureau,
        )
        if not benefit.title.strip():
            errors["title"] = TEXT_REQUIRED
        for name, message in errors.items():
            if name == "centre":
                name = "credit_code" if row.values.get("credit_code") else "registry_key"
            check.errors.append(RowError(row.number, labels.get(name, name), str(message)))
        if not errors:
            kept.append(row)
    check.rows = kept


# --- The two steps ------------------------------------------------------------------------------


def _report(check: ImportCheck) -> dict[str, Any]:
    return {
        "errors": [{"row": e.row, "column": e.column, "message": e.message} for e in check.errors],
        **check.counts(),
        "language": translation.get_language() or "zh-hans",
        "plan": check.plan(),
    }


def _file_report(error: ImportFileError) -> dict[str, Any]:
    return _report(ImportCheck(errors=[RowError(None, "", message) for message in error.messages]))


def _may_import(actor: User) -> None:
    if actor.role not in BENEFIT_IMPORTER_ROLES or (actor.role == Role.BUREAU_STAFF and not actor.bureau_id):
        raise PermissionDenied(NOT_ALLOWED_TO_IMPORT)


def benefit_import_check(*, actor: User, file_name: str, content: bytes) -> BenefitImport:
    """The dry run: reads and checks the whole file, writes no benefit, and keeps the upload with
    its report (state `checked` when every row passed, `refused` otherwise)."""
    _may_import(actor)
    try:
        rows = read_rows(file_name=file_name, content=content)
    except ImportFileError as error:
        report, row_count, state = _file_report(error), 0, BenefitImportState.REFUSED
    else:
        check = check_rows(actor=actor, rows=rows)
        report, row_count = _report(check), len(rows)
        state = BenefitImportState.REFUSED if check.errors else BenefitImportState.CHECKED
    return BenefitImport.objects.create(
        uploaded_by=actor,
        bureau_id=actor.bureau_id if actor.role == Role.BUREAU_STAFF else None,
        file_name=file_name[:255],
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        state=state,
        row_count=row_count,
        report=report,
    )


def benefit_import_upload(*, actor: User, upload) -> BenefitImport:
    """The dry run of an uploaded file, read no further than one byte past the limit."""
    return benefit_import_check(actor=actor, file_name=upload.name, content=upload.read(MAX_FILE_BYTES + 1))


def benefit_import_apply(*, actor: User, benefit_import: BenefitImport) -> BenefitImport:
    """Writes a checked import: every row or none. The file is checked again inside the
    transaction, the benefits it changes locked; if a row no longer passes, or would now do
    otherwise than the dry run said (a benefit recorded or changed meanwhile), nothing is written
    and the report is rewritten. A second apply of the same import is refused."""
    _may_import(actor)
    with transaction.atomic():
        locked = BenefitImport.objects.select_for_update().get(pk=benefit_import.pk)
        if actor.role == Role.BUREAU_STAFF and locked.bureau_id != actor.bureau_id:
            raise PermissionDenied(NOT_YOUR_BUREAUS_IMPORT)
        if locked.state == BenefitImportState.IMPORTED:
            raise ValidationError(ALREADY_IMPORTED, code="already_imported")
        if locked.state != BenefitImportState.CHECKED:
            raise ValidationError(NOT_READY, code="not_ready")
        rows = read_rows(file_name=locked.file_name, content=bytes(locked.content))
        check = check_rows(actor=actor, rows=rows, lock=True)
        written = not check.errors and check.plan() == locked.report.get("plan")
        if written:
            _write(check, actor=actor, benefit_import=locked)
            locked.state = BenefitImportState.IMPORTED
            locked.imported_at = timezone.now()
            locked.imported_by = actor
        else:
            locked.state = BenefitImportState.REFUSED if check.errors else BenefitImportState.CHECKED
        locked.report = _report(check)
        locked.save(update_fields=["state", "imported_at", "imported_by", "report"])
    if not written:
        message = CHANGED_SINCE_CHECK if check.errors else CHECKED_AGAIN
        raise ValidationError(message, code="changed_since_check")
    return locked


def _write(check: ImportCheck, *, actor: User, benefit_import: BenefitImport) -> None:
    """The new benefits and the changes, in the change history with the import as their reason."""
    now = timezone.now()
    new = [_as_benefit(row, actor) for row in check.rows if row.action == "create"]
    changed = []
    for row in check.rows:
        if row.action == "update":
            benefit = _as_benefit(row)
            benefit.updated_at = now
            changed.append(benefit)
    with change_context(user=actor.pk, reason=str(IMPORT_REASON % {"id": benefit_import.pk})):
        Benefit.objects.bulk_create(new, batch_size=BATCH)
        Benefit.objects.bulk_update(changed, [*UPDATED_FIELDS, "updated_at"], batch_size=BATCH)


# --- The template -----------------------------------------------------------------------------------


def import_template_xlsx() -> bytes:
    """A workbook to fill in: the header row in the user's language, one example row (of a centre
    that is not registered: replace it), and a second sheet naming each column, the statuses, the
    programmes and the bureaus."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = gettext("Benefits")
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
    guide.append([gettext("Statuses"), ", ".join(f"{v} ({label})" for v, label in BenefitStatus.choices)])
    guide.append([gettext("Programmes"), ", ".join(f"{v} ({label})" for v, label in Programme.choices)])
    guide.append([gettext("Bureaus"), ", ".join(f"{b.code} ({b.name})" for b in Bureau.objects.all())])
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
    example = {
        "credit_code": "",
        "registry_key": "SH-RD-0001",
        "programme": Programme.SHANGHAI_2024.value,
        "measure": 8,
        "title": gettext("Rent subsidy"),
        "status": BenefitStatus.GRANTED.value,
        "applied_on": "2024-03-01",
        "decided_on": "2024-05-31",
        "amount": "500000.00",
        "quantity": "",
        "granting_bureau": "sh-commerce",
        "note": "",
    }
    return [example[column.key] for column in COLUMNS]
