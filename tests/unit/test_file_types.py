"""Uploads are recognised by their bytes: real documents pass, renamed impostors do not."""

from __future__ import annotations

import io
import zipfile

import pytest

from forum import file_types
from tests.fixtures import files


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (files.MINIMAL_PDF, file_types.PDF),
        (files.png(), file_types.PNG),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20, file_types.JPEG),
        (b"GIF89a\x01\x00\x01\x00" + b"\x00" * 10, file_types.GIF),
        (b"RIFF\x10\x00\x00\x00WEBPVP8 " + b"\x00" * 8, file_types.WEBP),
        (files.docx(), file_types.DOCX),
        (files.xlsx(), file_types.XLSX),
    ],
)
def test_a_real_file_of_an_accepted_kind_is_recognised(data, expected):
    assert file_types.identify(data) is expected


@pytest.mark.parametrize(
    "data",
    [
        files.HTML_PAGE,  # an HTML page renamed synopsis.pdf would run its script
        files.WINDOWS_PROGRAM,
        files.SVG_IMAGE,  # XML that may carry script: never accepted
        files.plain_zip(),  # a ZIP, but no [Content_Types].xml
        files.docx("application/vnd.ms-word.document.macroEnabled.main+xml"),  # a .docm
        b"",
        b"%PD",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + "WordDocument".encode("utf-16-le")
        + b"\x00\x00"
        + "_VBA_PROJECT".encode("utf-16-le"),  # a Word 97 file with macros
    ],
    ids=["html", "exe", "svg", "zip", "docm", "empty", "truncated", "doc-with-macros"],
)
def test_anything_else_is_refused_whatever_its_name(data):
    assert file_types.identify(data) is None


def test_a_legacy_word_file_without_macros_is_a_doc():
    data = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\x00" * 64
        + "WordDocument".encode("utf-16-le")
        + b"\x00\x00"
    )
    assert file_types.identify(data) is file_types.DOC


def test_a_zip_whose_content_types_part_is_huge_is_not_decompressed():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b" " * (10 * 1024 * 1024))
        archive.writestr("word/document.xml", "<w:document/>")
    assert file_types.identify(buffer.getvalue()) is None


@pytest.mark.parametrize(
    ("original", "file_type", "expected"),
    [
        ("Synopsis v2.pdf", file_types.PDF, "Synopsis v2.pdf"),
        ("C:\\Users\\anna\\Consent.DOCX", file_types.DOCX, "Consent.docx"),
        ("../../etc/passwd", file_types.PDF, "passwd.pdf"),
        ("drawing.png", file_types.PDF, "drawing.png.pdf"),  # the content decides
        ("photo.jpeg", file_types.JPEG, "photo.jpeg"),
        ('a<b>:"c"|?*\x00\n.pdf', file_types.PDF, "a_b_c_.pdf"),
        ("", file_types.PNG, "file.png"),
        ("x" * 300 + ".pdf", file_types.PDF, "x" * 116 + ".pdf"),
    ],
)
def test_the_stored_name_is_safe_and_ends_in_the_type_found(original, file_type, expected):
    assert file_types.safe_name(original, file_type) == expected
