"""folium maps that render offline: kit (asset URLs, escaping), markers, partner and case maps, coverage map, HTML export."""
