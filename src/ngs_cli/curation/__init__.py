"""Curation: reading a verslag's text as the page gives it, drafting a meeting record
from it (``draft``), and checking a saved copy of the page against the data
(``pagecheck``).

Nothing is imported here: the command line imports this package only when ``ngs draft``
or ``ngs validate --source`` runs.
"""
