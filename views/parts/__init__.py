"""Pieces the pages share (login, filters, styles, help, error display) and views/parts/<page>/ per page."""
