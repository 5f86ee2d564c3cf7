"""Rules as data: loads the YAML files of rules/ (shipped in wheels as the package extract.rules).

Gives plain dicts; the stages interpret them, so Vietnamese words live in rules/, not in code.
"""
from functools import cache
from importlib import resources
from pathlib import Path

import yaml

# libyaml's safe loader where PyYAML was built with it: the same data, read some ten times faster
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
SOURCE_TREE_RULES = Path(__file__).resolve().parent.parent / "rules"


def rules_dir():
    """rules/ beside the package in a source tree, else the copy installed as extract.rules."""
    if SOURCE_TREE_RULES.is_dir():
        return SOURCE_TREE_RULES
    return resources.files("extract.rules")


@cache
def load(name: str) -> dict:
    """The parsed rules/NAME.yaml."""
    return yaml.load(rules_dir().joinpath(f"{name}.yaml").read_text(encoding="utf-8"), Loader=SAFE_LOADER)
