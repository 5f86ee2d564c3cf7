"""ward-extract: Vietnamese ward and commune reports to tables of sections, figures and checks.

    import extract
    result = extract.process_file("bao-cao.txt")   # Result: .documents .sections .figures .checks
"""
from importlib import import_module

# Loaded on first use, so that a PDF-reading child process imports no NLP stack.
_EXPORTS = {"InputError": "load", "Result": "pipeline", "nlp": "pipeline", "process_file": "pipeline",
            "process_text": "pipeline", "write_tables": "tables"}

__all__ = list(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module 'extract' has no attribute {name!r}")
