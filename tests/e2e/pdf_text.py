"""Reading back a PDF fpdf2 wrote, as a reader would, without a PDF library.

Each FlateDecode stream is inflated with zlib; the text shown (``(...) Tj`` strings of two-byte
glyph ids, as fpdf2 writes a TrueType font) is mapped to characters through the font's
ToUnicode CMap (``beginbfchar``), the map every PDF reader uses to copy text. The report
uses one font, so one map decodes it all.
"""

from __future__ import annotations

import re
import zlib

STREAM = re.compile(rb"<<(.*?)>>\s*stream\r?\n(.*?)\r?\nendstream", re.S)
BFCHAR = re.compile(rb"<([0-9A-Fa-f]{4})>\s*<([0-9A-Fa-f]+)>")
SHOWN = re.compile(rb"\(((?:\\.|[^\\)])*)\)\s*Tj", re.S)
ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def streams(pdf: bytes) -> list[bytes]:
    """Every stream's content, inflated when it is compressed."""
    found = []
    for head, body in STREAM.findall(pdf):
        found.append(zlib.decompress(body) if b"/FlateDecode" in head else body)
    return found


def _unescape(literal: bytes) -> bytes:
    out, i = bytearray(), 0
    while i < len(literal):
        byte = literal[i : i + 1]
        if byte != b"\\":
            out += byte
            i += 1
            continue
        following = literal[i + 1 : i + 2]
        octal = re.match(rb"[0-7]{1,3}", literal[i + 1 : i + 4])
        if octal:
            out.append(int(octal.group(), 8))
            i += 1 + len(octal.group())
        else:
            out += ESCAPES.get(following, following)
            i += 2
    return bytes(out)


def text_of(pdf: bytes) -> str:
    """The text the PDF shows, one shown string a line."""
    parts = streams(pdf)
    cmap: dict[int, str] = {}
    for part in parts:
        if b"beginbfchar" in part:
            for glyph, code in BFCHAR.findall(part):
                cmap[int(glyph, 16)] = bytes.fromhex(code.decode()).decode("utf-16-be")
    lines = []
    for part in parts:
        for literal in SHOWN.findall(part):
            raw = _unescape(literal)
            ids = [int.from_bytes(raw[i : i + 2], "big") for i in range(0, len(raw) - 1, 2)]
            lines.append("".join(cmap.get(g, "?") for g in ids))
    return "\n".join(lines)


def page_count(pdf: bytes) -> int:
    """Pages, as the page tree's root counts them."""
    found = re.search(
        rb"/Type\s*/Pages.*?/Count\s+(\d+)|/Count\s+(\d+).*?/Type\s*/Pages", pdf, re.S
    )
    assert found is not None, "no page tree"
    return int(found.group(1) or found.group(2))
