"""Parts of the Netzwerk page: the forms and the network drawing."""
