"""Checks this folder's gold with the evaluation set's verifier (bench/evalset/verify.py): 5 planted
inconsistencies; one consistent check sits exactly half a unit from its statement, on purpose (README); a
percentage target of a money indicator (the public investment to disburse) is annotated with it."""
import os
import runpy
import sys

os.chdir(os.path.dirname(os.path.abspath(__file__)))
sys.argv = [sys.argv[0], "--planted", "5", "--any-kind"]
runpy.run_path(os.path.join("..", "evalset", "verify.py"), run_name="__main__")
