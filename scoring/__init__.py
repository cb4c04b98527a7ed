"""zonescore: score, rank and classify assessment units from readable rule files."""
import os as _os

__version__ = "0.1.0"

# openpyxl writes different XML (namespaces on every element) when lxml is installed, and lxml comes
# with python-docx: keep its own writer so that workbooks are the same bytes with or without lxml.
_os.environ.setdefault("OPENPYXL_LXML", "False")
