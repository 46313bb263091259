"""Import and export of the directory (CSV, Excel, GeoJSON, HSDS, PDF helpers)."""
