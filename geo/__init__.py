"""Geography of Landkreis Trier-Saarburg: gazetteer, distances, geocoding, maps."""
