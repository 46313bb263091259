"""Parts of the Netzwerk page: the forms and the network drawing."""

#: Session key of the open tab (its label); tests and links may set it before a run.
TAB_KEY = "netzwerk_reiter"
#: Inputs inside the tabs: they keep their value while another tab is open.
TAB_INPUTS = ("netzwerk_ego", "netzwerk_radius", "netzwerk_iso", "netzwerk_zustaendig", "netzwerk_nur_faellig",
              "netzwerk_bericht_sr", "netzwerk_bericht_jahr", "netzwerk_bericht_an")
