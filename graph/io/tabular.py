"""CSV and Excel export of tables with spreadsheet formula injection neutralised."""

from __future__ import annotations

import io

import pandas as pd

#: A cell starting with one of these is interpreted as a formula by Excel/LibreOffice.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def neutralise(value: object) -> object:
    """Make a text cell inert for spreadsheets by prefixing ``'`` (non-strings pass through)."""
    if isinstance(value, str) and value.lstrip(" ").startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Copy of ``frame`` with every text cell and header neutralised."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise)
    out.columns = [neutralise(str(c)) for c in out.columns]
    return out


def to_csv_bytes(frame: pd.DataFrame, excel: bool = True) -> bytes:
    """CSV bytes; ``excel=True`` gives what German Excel opens directly (``;``, UTF-8 with BOM)."""
    buf = io.StringIO()
    neutralise_frame(frame).to_csv(buf, index=False, sep=";" if excel else ",", lineterminator="\r\n" if excel else "\n")
    return buf.getvalue().encode("utf-8-sig" if excel else "utf-8")


def to_xlsx_bytes(sheets: dict[str, pd.DataFrame]) -> bytes:
    """An .xlsx workbook (one sheet per entry) with bold header, filter and frozen first row."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            sheet_name = name[:31]
            neutralise_frame(frame).to_excel(writer, sheet_name=sheet_name, index=False)
            ws = writer.sheets[sheet_name]
            for cell in ws[1]:
                cell.font = Font(bold=True)
            ws.freeze_panes = "A2"
            ws.auto_filter.ref = ws.dimensions
            for i, col in enumerate(frame.columns, start=1):
                longest = max([len(str(col))] + [len(str(v)) for v in frame[col].head(500)])
                ws.column_dimensions[get_column_letter(i)].width = min(60, max(8, longest + 2))
    return buf.getvalue()
