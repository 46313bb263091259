"""Parts of the Abdeckung page: the coverage map."""
