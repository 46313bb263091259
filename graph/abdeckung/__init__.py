"""Abdeckung: coverage of Gemeinden × offers (2SFCA access index), what-if scenarios, Bedarfsmeldungen."""
