"""Imported once by the sandbox's fork server (extract.sandbox.PRELOAD): the whole pipeline warmed up there
(extract.pipeline.warm_up: its models made, its rules and the PDF reader's compiled), so that each file's
child process, a Dask worker's above all, starts with them instead of building them once per file.
"""
from .pipeline import warm_up

warm_up()
