"""PDF building blocks (fpdf2) with a bundled Unicode font (DejaVu Sans, assets/fonts)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import FontFace

FONT_DIR = Path(__file__).resolve().parent.parent.parent / "assets" / "fonts"
FONT = "DejaVu"


class Document(FPDF):
    """A4 portrait document with the project's font, a title header and page numbers."""

    def __init__(self, title: str, footer_note: str = "") -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.doc_title = title
        self.footer_note = footer_note
        self.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.add_font(FONT, "I", str(FONT_DIR / "DejaVuSans-Oblique.ttf"))
        self.set_title(title)
        self.set_lang("de")
        self.set_creator("Netzwerkpartner-Karte Trier-Saarburg")
        self.set_auto_page_break(auto=True, margin=18)
        self.alias_nb_pages()
        self.add_page()

    def header(self) -> None:
        self.set_font(FONT, "B", 9)
        self.set_text_color(90, 90, 90)
        self.cell(0, 6, self.doc_title, new_x="LMARGIN", new_y="NEXT")
        self.ln(2)
        self.set_text_color(0, 0, 0)

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font(FONT, "", 8)
        self.set_text_color(90, 90, 90)
        note = f"{self.footer_note} · " if self.footer_note else ""
        self.cell(0, 6, f"{note}Stand {date.today():%d.%m.%Y} · Seite {self.page_no()}/{{nb}}", align="C")

    def heading(self, text: str, size: int = 14) -> None:
        """A bold heading line."""
        self.set_font(FONT, "B", size)
        self.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
        self.ln(1.5)

    def paragraph(self, text: str, size: int = 10, style: str = "") -> None:
        """A wrapped paragraph (text is drawn literally, never interpreted as markup)."""
        self.set_font(FONT, style, size)
        self.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
        self.ln(1)

    def table(self, header: list[str], rows: list[list[str]], widths: list[float] | None = None) -> None:
        """A simple bordered table with a bold header row."""
        self.set_font(FONT, "", 9)
        with super().table(col_widths=widths, text_align="LEFT", line_height=5,
                           headings_style=FontFace(emphasis="BOLD")) as t:
            for values in [header] + rows:
                row = t.row()
                for v in values:
                    row.cell(str(v))

    def to_bytes(self) -> bytes:
        """The finished PDF."""
        return bytes(self.output())
