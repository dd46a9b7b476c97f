"""A session's report as a PDF, with fpdf2 (decision 0030).

Input is plain data (``workers.report_policies.report_data`` gathers it from the read models),
output the PDF's bytes. One TrueType font, DejaVu Sans, shipped in ``podium/fonts`` (Latin
Extended and Cyrillic: Polish, German, Spanish and Russian headings and attendees' names print
as written); fpdf2 embeds only the glyphs used. Headings by size and colour, not a bold face,
so one font file is all the report needs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fpdf import FPDF
from fpdf.fonts import FontFace

from podium.report_headings import HEADINGS

FONT = Path(__file__).parent / "fonts" / "DejaVuSans.ttf"
FAMILY = "DejaVu"
INK, MUTED, ACCENT, BAND = (33, 37, 41), (108, 117, 125), (13, 71, 161), (232, 238, 247)
NONE = "\u2013"  # an en dash where a value is missing


def duration(seconds: int | None) -> str:
    """h:mm:ss (a report reads time present that way in every language)."""
    if seconds is None:
        return NONE
    hours, rest = divmod(max(int(seconds), 0), 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}"


class _Report(FPDF):
    def __init__(self, words: dict[str, str]) -> None:
        super().__init__(orientation="L", format="A4")
        self.words = words
        self.add_font(FAMILY, "", FONT)
        self.set_auto_page_break(auto=True, margin=15)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FAMILY, size=8)
        self.set_text_color(*MUTED)
        self.cell(0, 6, f"{self.words['page']} {self.page_no()}/{{nb}}", align="R")

    def heading(self, text: str, size: float = 14) -> None:
        self.ln(3)
        self.set_font(FAMILY, size=size)
        self.set_text_color(*ACCENT)
        self.cell(0, 9, text, new_x="LMARGIN", new_y="NEXT")
        self.set_font(FAMILY, size=9)
        self.set_text_color(*INK)

    def rows(self, header: list[str], body: list[list[str]], widths: tuple[int, ...]) -> None:
        if not body:
            self.cell(0, 7, self.words["none"], new_x="LMARGIN", new_y="NEXT")
            return
        style = FontFace(emphasis=None, color=ACCENT, fill_color=BAND)
        with self.table(col_widths=widths, headings_style=style, line_height=6) as table:
            for values in [header, *body]:
                row = table.row()
                for value in values:
                    row.cell(value)


def render_session_report(data: dict[str, Any], language: str) -> tuple[bytes, int]:
    """The report of one session in ``language``: its PDF bytes and page count."""
    w = HEADINGS[language]
    pdf = _Report(w)
    pdf.set_title(f"{w['title']}: {data['room_name']}")
    pdf.set_creator("Podium")
    pdf.add_page()
    pdf.set_font(FAMILY, size=20)
    pdf.set_text_color(*ACCENT)
    pdf.cell(0, 12, w["title"], new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, size=10)
    pdf.set_text_color(*INK)
    facts = [
        (w["room"], data["room_name"]),
        (w["session"], f"{data['session']} (id {data['session_id']})"),
        (w["start"], f"{data['started_at']} ({data['time_zone']})"),
        (w["end"], data["ended_at"] or NONE),
        (w["duration"], duration(data["duration_seconds"])),
        (w["visitors"], str(data["total_visitors"])),
        (w["max_visitors"], str(data["max_visitors"])),
        (w["chat"], str(data["chat_messages"])),
        (w["questions"], str(data["questions"])),
    ]
    for label, value in facts:
        pdf.set_text_color(*MUTED)
        pdf.cell(55, 6, label)
        pdf.set_text_color(*INK)
        pdf.cell(0, 6, value, new_x="LMARGIN", new_y="NEXT")

    pdf.heading(w["attendees"])
    pdf.rows(
        [w["name"], w["email"], w["role"], w["time"], w["device"], w["country"], w["rating"]],
        [
            [
                a["nickname"],
                a["email"] or a["caller"] or "",
                a["role"],
                duration(a["seconds_present"]),
                a["device"],
                a["country"] or NONE,
                a["rating"] or NONE,
            ]
            for a in data["attendees"]
        ],
        (48, 60, 22, 28, 64, 20, 35),
    )
    comments = [a for a in data["attendees"] if a["rating_comment"]]
    if comments:
        pdf.heading(w["comments"], 11)
        for a in comments:
            pdf.multi_cell(0, 5, f"{a['nickname']} ({a['rating']}): {a['rating_comment']}")
            pdf.ln(1)

    pdf.heading(w["polls"])
    pdf.rows(
        [w["name"], w["questions"], w["respondents"]],
        [[p["name"], str(p["questions"]), str(p["respondents"])] for p in data["polls"]],
        (177, 50, 50),
    )
    pdf.heading(w["ctas"])
    pdf.rows(
        [w["name"], w["clicked"], w["clicks"]],
        [[c["description"], str(c["attendees"]), str(c["clicks"])] for c in data["ctas"]],
        (177, 50, 50),
    )
    return bytes(pdf.output()), pdf.page_no()
