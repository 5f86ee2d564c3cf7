"""ward-extract: Vietnamese ward and commune reports to tables of sections, figures and checks.

    import extract
    result = extract.process_file("bao-cao.txt")   # Result: .documents .sections .figures .checks
"""
from .load import InputError
from .pipeline import Result, nlp, process_file, process_text
from .tables import write_tables

__all__ = ["InputError", "Result", "nlp", "process_file", "process_text", "write_tables"]
