"""Comments and attachments: things said and handed over about a case, not moves of it."""

import mimetypes
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from cases.models import Attachment, Case, Comment
from commissioners.models import Role, User

from ._base import record_event

READ_ONLY_ROLE = _("Managers follow cases read-only.")
EMPTY_COMMENT = _("A comment cannot be empty.")
FILE_TOO_LARGE = _("The file is larger than %(limit)s.")
FILE_TYPE_NOT_ALLOWED = _("Files of this type are not accepted: %(allowed)s only.")
FILE_CONTENT_MISMATCH = _("The file's content does not match its extension.")
EMPTY_FILE = _("The file is empty.")

# Extension -> the bytes such files start with (None: plain text, no signature).
ALLOWED_FILE_TYPES: dict[str, tuple[bytes, ...] | None] = {
    ".pdf": (b"%PDF",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".pptx": (b"PK\x03\x04",),
    ".doc": (b"\xd0\xcf\x11\xe0",),
    ".xls": (b"\xd0\xcf\x11\xe0",),
    ".txt": None,
    ".csv": None,
}


def content_type_of(extension: str) -> str:
    """The type served for a checked extension, never the one the uploader claimed."""
    return mimetypes.guess_type(f"file{extension}")[0] or "application/octet-stream"


def may_write_notes(user: User) -> bool:
    """Managers read cases; everyone else who sees a case may comment and attach documents."""
    return user.role != Role.MANAGER


def _may_write_notes(user: User) -> None:
    if not may_write_notes(user):
        raise PermissionDenied(READ_ONLY_ROLE)


@transaction.atomic
def case_add_comment(*, case: Case, author: User, body: str) -> Comment:
    """An internal note; `case` must come from the author's visibility selector. The history says a
    note was added (not what it says: the note itself is read where the case's notes are)."""
    _may_write_notes(author)
    if not (body or "").strip():
        raise ValidationError({"body": EMPTY_COMMENT})
    comment = Comment.objects.create(case=case, author=author, body=body.strip())
    record_event(case=case, actor=author, action="comment")
    return comment


def checked_document(upload: UploadedFile) -> dict:
    """The stored fields of an uploaded document (a case's attachment, a briefing's material),
    once its type, size and content are checked (`check_upload`)."""
    extension = check_upload(upload)
    return {
        "file": upload,
        "original_name": PurePath(upload.name).name[:255],
        "content_type": content_type_of(extension),
        "size": upload.size,
    }


def check_upload(upload: UploadedFile) -> str:
    extension = PurePath(upload.name or "").suffix.lower()
    if extension not in ALLOWED_FILE_TYPES:
        allowed = ", ".join(sorted(ALLOWED_FILE_TYPES))
        raise ValidationError({"file": FILE_TYPE_NOT_ALLOWED % {"allowed": allowed}})
    if upload.size == 0:
        raise ValidationError({"file": EMPTY_FILE})
    if upload.size > settings.CASE_ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            {"file": FILE_TOO_LARGE % {"limit": filesizeformat(settings.CASE_ATTACHMENT_MAX_BYTES)}}
        )
    signatures = ALLOWED_FILE_TYPES[extension]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if signatures is None:
        if b"\x00" in head:
            raise ValidationError({"file": FILE_CONTENT_MISMATCH})
    elif not head.startswith(signatures):
        raise ValidationError({"file": FILE_CONTENT_MISMATCH})
    return extension


@transaction.atomic
def case_add_attachment(*, case: Case, uploaded_by: User, upload: UploadedFile) -> Attachment:
    """Stores a document through the storage API after checking its size and type."""
    _may_write_notes(uploaded_by)
    attachment = Attachment.objects.create(case=case, uploaded_by=uploaded_by, **checked_document(upload))
    record_event(case=case, actor=uploaded_by, action="attach", note=attachment.original_name)
    return attachment
