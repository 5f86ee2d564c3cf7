"""Builds report.txt, figures.jsonl and checks.jsonl of this folder from its report.src, with the evaluation
set's builder (bench/evalset/build.py, in the format its README describes)."""
import os
import runpy

os.chdir(os.path.dirname(os.path.abspath(__file__)))
runpy.run_path(os.path.join("..", "evalset", "build.py"), run_name="__main__")
