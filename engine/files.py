"""Uploaded files, for every app: one validator, server-generated names, one way to serve them.

A file is accepted only when its **content** is one of the allowed types (``UPLOAD_ALLOWED_TYPES``: PDF, XLSX,
CSV, DOCX, ODT, ODS, PNG, JPEG) and its extension says the same; it is stored under a name nobody can guess
(``<prefix>/<yyyy>/<uuid4 hex>.<ext>``) in a storage that no URL serves (nothing maps ``MEDIA_URL``, in
development either), and reaches people only through a view of the owning app that asks the app's
visibility predicate first and then calls ``serve_file``. How an app uses it::

    # models.py
    from engine.files import UploadField

    class Attachment(models.Model):
        # types= narrows the settings' list for this field (registry documents: ["pdf", "png", "jpeg"]).
        file = UploadField(_("archivo"), prefix="transparency/attachments", name_field="file_name")
        file_name = models.CharField(_("nombre original"), max_length=255, blank=True, editable=False)

        def get_download_url(self) -> str:  # what ``attachment.file.url`` returns, in the admin too
            return reverse("transparency:attachment", kwargs={"pk": self.pk})

    # views.py: 404 for whoever may not see the object, the same answer as for one that does not exist
    def attachment(request, pk):
        attachment = get_object_or_404(Attachment.objects.select_related("item"), pk=pk)
        if not permissions.can_view(request.user, attachment.item):
            raise Http404
        return serve_file(request, attachment.file, download_name=attachment.file_name or attachment.title,
                          public=attachment.item.is_public)

    # template: the link with its type and size ("PDF, 1,2 MB"), for people on prepaid mobile data
    {% load engine_files %}{% file_link attachment.get_download_url attachment.title attachment.file %}

``UploadField`` validates on the model (admin and ModelForms); a plain form uses
``forms.FileField(validators=[FileValidator()])``; a service that stores bytes it did not receive through a
form calls ``inspect_upload(file, name=...)`` first. Every refusal is a ``ValidationError`` with a code and a
translated message that says what is wrong and what is accepted.
"""

from __future__ import annotations

import logging
import re
import uuid
import warnings
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO, cast

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.files.base import ContentFile, File
from django.db import models
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.deconstruct import deconstructible
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from PIL import Image

logger = logging.getLogger(__name__)

__all__ = [
    "FILE_TYPES",
    "FileType",
    "FileValidator",
    "UploadField",
    "UploadTo",
    "detect_type",
    "file_attach",
    "file_summary",
    "inspect_upload",
    "serve_file",
    "type_for_name",
]


@dataclass(frozen=True)
class FileType:
    code: str  # as written in UPLOAD_ALLOWED_TYPES and in ``types=``
    label: str  # shown next to links and in messages: "PDF"
    extensions: tuple[str, ...]  # the first one names stored and downloaded files
    content_type: str
    inline: bool  # shown in the browser; everything else downloads as an attachment
    noun: Promise  # "un PDF", in messages: "El archivo es una página web, no un PDF."


FILE_TYPES: dict[str, FileType] = {
    t.code: t
    for t in [
        FileType("pdf", "PDF", (".pdf",), "application/pdf", True, _("un PDF")),
        FileType(
            "xlsx",
            "XLSX",
            (".xlsx",),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            False,
            _("una planilla XLSX"),
        ),
        FileType("csv", "CSV", (".csv",), "text/csv", False, _("un archivo de texto CSV")),
        FileType(
            "docx",
            "DOCX",
            (".docx",),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            False,
            _("un documento DOCX"),
        ),
        FileType(
            "odt", "ODT", (".odt",), "application/vnd.oasis.opendocument.text", False, _("un documento ODT")
        ),
        FileType(
            "ods",
            "ODS",
            (".ods",),
            "application/vnd.oasis.opendocument.spreadsheet",
            False,
            _("una planilla ODS"),
        ),
        FileType("png", "PNG", (".png",), "image/png", True, _("una imagen PNG")),
        FileType("jpeg", "JPEG", (".jpg", ".jpeg"), "image/jpeg", True, _("una imagen JPEG")),
    ]
}
_BY_EXTENSION = {extension: t for t in FILE_TYPES.values() for extension in t.extensions}

# What a refused file really is, in the words of the message.
_OTHER_KINDS: dict[str, Promise] = {
    "html": _("una página web"),
    "svg": _("una imagen SVG"),
    "xml": _("un documento XML"),
    "script": _("un programa (código JavaScript u otro)"),
    "executable": _("un programa ejecutable"),
    "zip": _("un archivo comprimido ZIP"),
    "old_office": _("un documento de Office antiguo (.doc, .xls o .ppt)"),
    "unknown": _("un archivo de un tipo que no reconocemos"),
}

# Extensions that make a name a double extension when they appear before the last dot ("x.pdf.html").
_RISKY_EXTENSIONS = {
    *(extension.lstrip(".") for extension in _BY_EXTENSION),
    # One string to read at a glance rather than fifty lines of a list.
    *"htm html xhtml shtml svg svgz xml js mjs jsx exe dll bat cmd com scr msi sh ps1 vbs vbe jse wsf hta jar"  # noqa: SIM905
    " php phtml py pl rb cgi asp aspx jsp swf zip rar 7z gz tar doc xls ppt pptx docm xlsm lnk iso apk".split(),
}

_SIGNATURES: list[tuple[bytes, str]] = [
    (b"%PDF-", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"PK\x03\x04", "zip"),
    (b"PK\x05\x06", "zip"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "old_office"),
    (b"MZ", "executable"),
    (b"\x7fELF", "executable"),
    (b"\xfe\xed\xfa\xce", "executable"),
    (b"\xfe\xed\xfa\xcf", "executable"),
    (b"\xce\xfa\xed\xfe", "executable"),
    (b"\xcf\xfa\xed\xfe", "executable"),
    (b"\xca\xfe\xba\xbe", "executable"),
    (b"\x00asm", "executable"),
    (b"#!", "script"),
]
_HEAD_BYTES = 64 * 1024
_CHUNK_BYTES = 1024 * 1024
# Bytes that never occur in a text file (tab, newlines and form feed are allowed).
_BINARY = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f]")
# How scripts start and CSV headers do not: comments, declarations, a call with a quoted or no argument
# ("fetch('", "alert()"), a property set ("window.location ="). Kept narrow: a CSV may say "Monto (CLP)".
_SCRIPT_START = re.compile(
    r"(//|/\*|['\"]use strict['\"]|(async\s+)?function[\s(]|[(!]\s*function|(var|let|const)\s+[a-z_$][\w$]*\s*="
    r"|(import|export)\s+(\{|\*|default\b|[a-z_$][\w$]*\s+from\b)"
    r"|[a-z_$][\w$]*(\.[a-z_$][\w$]*)*\((['\"`)]|function)|[a-z_$][\w$]*(\.[a-z_$][\w$]*)+\s*=[^=])"
)
_HTML_TAGS = ("<!doctype html", "<html", "<head", "<body", "<script", "<iframe", "<meta", "<title", "<!--")
# Markup a browser would run if it ever read the bytes as a page: refused inside files shown inline (PDF and
# images), where a polyglot could hide it. Compressed data matches these by chance about never.
_ACTIVE_CONTENT = (
    b"<script",
    b"<html",
    b"<body",
    b"<iframe",
    b"<svg",
    b"<object",
    b"<embed",
    b"<!doctype html",
)
# PDF actions that run something when the file opens (uncompressed objects only: a raw scan).
_PDF_ACTIONS = (b"/javascript", b"/launch")
_OOXML_MAIN = {
    "docx": b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "xlsx": b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
}
_ODF_MIMETYPES = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
}
_SMALL_PART_BYTES = 1024 * 1024  # [Content_Types].xml and mimetype are a few KB: read at most this
_ZIP_END_RECORD = b"PK\x05\x06"

# Served files may never run anything: no scripts, no plugins, no requests, sandboxed. PDFs open in the
# browser's own viewer, which some browsers have refused to start in a sandboxed document and which older
# Chrome styled inline: they get the same policy without the sandbox (their type is checked and nosniff holds).
# Chromium 2026 shows the demo plan under either policy.
FILE_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
PDF_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"


def allowed_types(types: Sequence[str] | None = None) -> list[FileType]:
    """The types settings allow, narrowed to ``types`` when a field asks for fewer."""
    codes = list(settings.UPLOAD_ALLOWED_TYPES)
    unknown = [code for code in [*codes, *(types or [])] if code not in FILE_TYPES]
    if unknown:
        raise ImproperlyConfigured(f"Unknown upload types {unknown}: choose among {sorted(FILE_TYPES)}")
    return [FILE_TYPES[code] for code in codes if types is None or code in types]


def type_for_name(name: str) -> FileType | None:
    """The type a (stored, server-generated) name's extension stands for."""
    return _BY_EXTENSION.get(PurePath(name or "").suffix.lower())


def _accepted(types: list[FileType]) -> str:
    return gettext("Puede subir archivos %(types)s de hasta %(size)s.") % {
        "types": ", ".join(t.label for t in types),
        "size": filesizeformat(settings.UPLOAD_MAX_BYTES),
    }


def _refuse(code: str, problem: str, types: list[FileType]) -> ValidationError:
    return ValidationError(f"{problem} {_accepted(types)}", code=code)


@contextmanager
def _rewound(file: IO[bytes]) -> Iterator[IO[bytes]]:
    file.seek(0)
    try:
        yield file
    finally:
        file.seek(0)


def _chunks(file: IO[bytes], overlap: int = 0) -> Iterator[bytes]:
    """The whole file in pieces; each starts with the last ``overlap`` bytes of the one before."""
    file.seek(0)
    tail = b""
    while chunk := file.read(_CHUNK_BYTES):
        yield tail + chunk
        tail = chunk[-overlap:] if overlap else b""


def _contains(file: IO[bytes], needles: Sequence[bytes]) -> bool:
    overlap = max(len(needle) for needle in needles)
    return any(needle in chunk.lower() for chunk in _chunks(file, overlap) for needle in needles)


def _kind_of_text(head: bytes) -> str:
    """A text file's kind from its first characters: markup and scripts are never CSV."""
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n\f").lower()[:1024]
    if text.startswith("<"):
        if "<svg" in text:
            return "svg"
        if text.startswith("<?xml") and not any(tag in text for tag in _HTML_TAGS):
            return "xml"
        return "html"  # any tag first: browsers that sniff would read it as a page
    return "script" if _SCRIPT_START.match(text) else "csv"


def _zip_entry_count(file: IO[bytes]) -> int | None:
    """Entries announced by the zip's end record, read before ``zipfile`` loads its directory into memory."""
    file.seek(0, 2)
    size = file.tell()
    file.seek(max(0, size - 65557))  # the end record (22 bytes) follows at most a 64 KB comment
    tail = file.read()
    at = tail.rfind(_ZIP_END_RECORD)
    return int.from_bytes(tail[at + 10 : at + 12], "little") if at >= 0 and len(tail) >= at + 12 else None


def _read_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    with archive.open(info) as part:
        return part.read(_SMALL_PART_BYTES)


def _kind_of_zip(file: IO[bytes]) -> tuple[str, zipfile.ZipFile | None]:
    count = _zip_entry_count(file)
    if count is None:
        return "unknown", None
    if count > settings.UPLOAD_ZIP_MAX_ENTRIES:
        return "zip_bomb", None
    file.seek(0)
    try:
        archive = zipfile.ZipFile(file)
        infos = archive.infolist()
        names = {info.filename: info for info in infos}
        if infos and infos[0].filename == "mimetype":
            kind = _ODF_MIMETYPES.get(_read_part(archive, infos[0]).strip())
            if kind:
                return kind, archive
        if "[Content_Types].xml" in names:
            types_xml = _read_part(archive, names["[Content_Types].xml"])
            for kind, main in _OOXML_MAIN.items():
                if b'ContentType="' + main + b'"' in types_xml:
                    return kind, archive
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, OSError, EOFError):
        return "unknown", None
    return "zip", archive


def _detect(file: IO[bytes]) -> tuple[str, zipfile.ZipFile | None]:
    """The kind of a file by its content: a FILE_TYPES code or one of _OTHER_KINDS (or "zip_bomb")."""
    with _rewound(file):
        head = file.read(_HEAD_BYTES)
    for signature, kind in _SIGNATURES:
        if head.startswith(signature):
            if kind == "zip":
                with _rewound(file):
                    return _kind_of_zip(file)
            return kind, None
    if _BINARY.search(head):
        return "unknown", None
    return _kind_of_text(head), None


def detect_type(file: IO[bytes]) -> FileType | None:
    """The allowed type a stored file's content is, or None: how ``serve_file`` picks its headers."""
    kind, _archive = _detect(file)
    return FILE_TYPES.get(kind)


def _double_extension(name: str) -> list[str]:
    parts = PurePath(name).name.lower().split(".")[1:]
    inner = [part for part in parts[:-1] if part in _RISKY_EXTENSIONS]
    return [*inner, parts[-1]] if inner and inner[-1] != parts[-1] else []


def _zip_within_limits(archive: zipfile.ZipFile) -> bool:
    """Declared sizes only, nothing is extracted: total size, and how much each large part expands."""
    total = 0
    for info in archive.infolist():
        total += info.file_size
        expands = info.file_size / max(info.compress_size, 1)
        if info.file_size > _SMALL_PART_BYTES and expands > settings.UPLOAD_ZIP_MAX_RATIO:
            return False
    return total <= settings.UPLOAD_ZIP_MAX_UNCOMPRESSED_BYTES


def _has_macros(archive: zipfile.ZipFile) -> bool:
    return any(
        name.lower().endswith("vbaproject.bin") or name.startswith(("Basic/", "Scripts/"))
        for name in archive.namelist()
    )


def _image_is_sound(file: IO[bytes], expected: FileType) -> bool:
    try:
        with warnings.catch_warnings():
            # Pillow only warns below twice its pixel limit: a decompression bomb is an error here.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            file.seek(0)
            with Image.open(file) as image:
                if image.format != expected.label:
                    return False
                image.verify()
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombWarning, Image.DecompressionBombError):
        return False
    return True


def _problem(file: IO[bytes], expected: FileType, archive: zipfile.ZipFile | None) -> tuple[str, str] | None:
    """What the first bytes cannot tell: hidden markup, broken images, binary CSV, zip bombs, macros."""
    if expected.code == "pdf" and _contains(file, _PDF_ACTIONS):
        return "file_active_content", gettext("El PDF contiene código que se ejecuta al abrirlo.")
    if expected.inline and _contains(file, _ACTIVE_CONTENT):
        problem = gettext("El archivo es %(type)s, pero lleva dentro código de página web.")
        return "file_active_content", problem % {"type": expected.noun}
    if expected.code in ("png", "jpeg") and not _image_is_sound(file, expected):
        return "file_damaged", gettext("La imagen está dañada o incompleta.")
    if expected.code == "csv" and any(_BINARY.search(chunk) for chunk in _chunks(file)):
        return "file_mismatch", gettext("El archivo no es texto, así que no es un CSV.")
    if archive is not None and not _zip_within_limits(archive):
        return "file_zip_bomb", _zip_bomb_message()
    if archive is not None and _has_macros(archive):
        return "file_macros", gettext("El documento contiene macros (programas).")
    return None


def _zip_bomb_message() -> str:
    return gettext("Al abrirse, el archivo se expande a un tamaño enorme (una «bomba zip»).")


def inspect_upload(file: IO[bytes], *, name: str, types: Sequence[str] | None = None) -> FileType:
    """The type of an upload, checked by its name and its content; raises ValidationError otherwise.

    ``file`` is any readable, seekable binary file (an UploadedFile, a File, a FieldFile's file); it is
    left rewound. ``types`` narrows the settings' list.
    """
    allowed = allowed_types(types)
    size = file.size if hasattr(file, "size") else _size_of(file)
    if size > settings.UPLOAD_MAX_BYTES:
        problem = gettext("El archivo pesa %(size)s: es demasiado grande.") % {"size": filesizeformat(size)}
        raise _refuse("file_too_big", problem, allowed)
    if size == 0:
        raise _refuse("file_empty", gettext("El archivo está vacío."), allowed)
    base = PurePath(name or "").name
    extension = PurePath(base).suffix.lower()
    if double := _double_extension(base):
        problem = gettext("El nombre «%(name)s» tiene dos extensiones (%(extensions)s).") % {
            "name": base,
            "extensions": ", ".join(f".{part}" for part in double),
        }
        raise _refuse("file_double_extension", problem, allowed)
    if not extension:
        problem = gettext("El nombre del archivo no termina en una extensión como .pdf.")
        raise _refuse("file_no_extension", problem, allowed)
    expected = _BY_EXTENSION.get(extension)
    if expected is None or expected not in allowed:
        problem = gettext("No se aceptan archivos %(extension)s.") % {"extension": extension}
        raise _refuse("file_extension", problem, allowed)
    kind, archive = _detect(file)
    if kind == "zip_bomb":
        raise _refuse("file_zip_bomb", _zip_bomb_message(), allowed)
    if kind != expected.code:
        found = FILE_TYPES[kind].noun if kind in FILE_TYPES else _OTHER_KINDS[kind]
        problem = gettext("El archivo es %(found)s, no %(expected)s.") % {
            "found": found,
            "expected": expected.noun,
        }
        raise _refuse("file_mismatch", problem, allowed)
    refusal = _problem(file, expected, archive)
    file.seek(0)
    if refusal:
        raise _refuse(*refusal, allowed)
    return expected


def _size_of(file: IO[bytes]) -> int:
    with _rewound(file):
        file.seek(0, 2)
        return file.tell()


@deconstructible
class FileValidator:
    """A model or form field validator: ``inspect_upload`` on every new upload.

    A file already stored (a committed FieldFile) was checked when it came in and is not read again each
    time its object is saved.
    """

    def __init__(self, types: Sequence[str] | None = None) -> None:
        self.types = list(types) if types is not None else None

    def __call__(self, value: File) -> None:
        if isinstance(value, FieldFile):
            if getattr(value, "_committed", False):
                return
            value = value.file
        inspect_upload(value, name=value.name or "", types=self.types)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FileValidator) and self.types == other.types


@deconstructible
class UploadTo:
    """``upload_to`` for UploadField: ``<prefix>/<yyyy>/<uuid4 hex>.<ext>``, never the uploader's name."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix.strip("/")

    def __call__(self, instance: models.Model, filename: str) -> str:
        file_type = type_for_name(filename)
        extension = file_type.extensions[0] if file_type else ".bin"
        return f"{self.prefix}/{timezone.now():%Y}/{uuid.uuid4().hex}{extension}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, UploadTo) and self.prefix == other.prefix


class ServedFieldFile(FieldFile):
    """Its ``url`` is the owning model's checked download view, never the storage's address: templates
    and the admin's file widget link there."""

    @property
    def url(self) -> str:
        if not self:
            raise ValueError(f"The '{self.field.name}' attribute has no file associated with it.")
        get_url = getattr(self.instance, "get_download_url", None)
        if get_url is None:
            raise ImproperlyConfigured(
                f"{type(self.instance).__name__} has an UploadField: define get_download_url() (a view that "
                "checks permission and calls engine.files.serve_file)."
            )
        return get_url()


class UploadField(models.FileField):
    """A FileField that validates uploads (``FileValidator``), names them ``UploadTo(prefix)`` and keeps the
    uploader's name in ``name_field`` (for display and the download's filename only)."""

    attr_class = ServedFieldFile

    def __init__(
        self,
        *args,
        prefix: str = "",
        types: Sequence[str] | None = None,
        name_field: str | None = None,
        **kwargs,
    ) -> None:
        kwargs.setdefault("upload_to", UploadTo(prefix or "uploads"))
        kwargs.setdefault("validators", [FileValidator(types)])
        kwargs.setdefault("max_length", 255)
        self.name_field = name_field
        super().__init__(*args, **kwargs)

    def save_form_data(self, instance: models.Model, data) -> None:
        # A new upload from a form (not a stored file, not "clear"): remember what the person called it.
        if self.name_field and data and not isinstance(data, FieldFile):
            setattr(instance, self.name_field, PurePath(data.name).name[:255])
        elif self.name_field and data is False:
            setattr(instance, self.name_field, "")
        super().save_form_data(instance, data)


def file_attach(*, instance: models.Model, field: str, content: bytes, name: str) -> None:
    """Store ``content`` in ``instance.<field>`` (an UploadField) after the same checks as an upload, under a
    generated name, keeping ``name`` as the original; the caller saves ``instance``. For services and demo
    data that make files rather than receive them from a form. Raises ValidationError."""
    model_field = cast(UploadField, instance._meta.get_field(field))
    upload = ContentFile(content, name=PurePath(name).name)
    for validator in model_field.validators:
        validator(upload)
    getattr(instance, field).save(upload.name, upload, save=False)
    if model_field.name_field:
        setattr(instance, model_field.name_field, upload.name)


def _download_filename(name: str, file_type: FileType | None) -> str:
    """The person's name for the file with the extension of what it really is; no paths or controls."""
    stem = PurePath(name.replace("\\", "/")).name
    while PurePath(stem).suffix.lower().lstrip(".") in _RISKY_EXTENSIONS and PurePath(stem).suffix:
        stem = PurePath(stem).stem
    stem = re.sub(r"[\x00-\x1f\x7f\"]+", " ", stem).strip(" .")[:100] or "archivo"
    return stem + (file_type.extensions[0] if file_type else ".bin")


def serve_file(
    request: HttpRequest, field_file: FieldFile, *, download_name: str, public: bool = False
) -> FileResponse:
    """Stream a stored file to someone the calling view has already allowed to see it.

    The type comes from the content (an unknown one downloads as ``application/octet-stream``); only PDF
    and images open in the browser, everything else is an attachment; a tight CSP, ``nosniff`` and
    ``Cross-Origin-Resource-Policy`` hold whatever the browser; ``public=False`` keeps shared caches out.
    Works with any Storage: on object storage, see README ("Files on object storage").
    """
    if not field_file or not field_file.name:
        raise Http404
    try:
        handle = field_file.storage.open(field_file.name, "rb")
    except OSError:
        logger.warning("stored file missing", extra={"file": field_file.name})
        raise Http404 from None
    file_type = detect_type(handle)
    inline = bool(file_type and file_type.inline)
    response = FileResponse(
        handle,
        content_type=file_type.content_type if file_type else "application/octet-stream",
        as_attachment=not inline,
        filename=_download_filename(download_name, file_type),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = PDF_CSP if file_type and file_type.code == "pdf" else FILE_CSP
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    if not public:
        patch_cache_control(response, private=True)
    return response


def file_summary(field_file: FieldFile) -> str:
    """ "PDF, 1,2 MB": the type and size shown next to a download link (localized number)."""
    if not field_file or not field_file.name:
        return ""
    file_type = type_for_name(field_file.name)
    try:
        size = filesizeformat(field_file.storage.size(field_file.name))
    except Exception:  # any storage's failure to find the file must not break the page that links to it
        logger.warning("stored file missing", extra={"file": field_file.name})
        size = ""
    return ", ".join(part for part in (file_type.label if file_type else "", size) if part)
