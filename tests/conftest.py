from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEED = SHARED / "fixtures" / "seed"


@pytest.fixture
def seed_dir() -> Path:
    if not (SEED / "report.txt").exists():
        pytest.skip("../shared/fixtures/seed is not beside this checkout")
    return SEED
