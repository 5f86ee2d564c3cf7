"""Checks this folder's gold with the evaluation set's verifier (bench/evalset/verify.py): 5 planted
inconsistencies, every consistent check clear of its rounding boundary."""
import os
import runpy
import sys

os.chdir(os.path.dirname(os.path.abspath(__file__)))
sys.argv = [sys.argv[0], "--planted", "5", "--clear-of-boundary"]
runpy.run_path(os.path.join("..", "evalset", "verify.py"), run_name="__main__")
