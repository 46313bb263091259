"""Parts of the Abdeckung page: the coverage map."""

#: Session key of the open tab (its label); tests and links may set it before a run.
TAB_KEY = "abdeckung_reiter"
#: Display options inside the tabs: they keep their value while another tab is open.
TAB_INPUTS = ("abdeckung_modus", "abdeckung_tiles", "abdeckung_meldungen_karte", "abdeckung_alle_luecken",
              "abdeckung_matrix_typ", "abdeckung_bedarf_filter")
