"""`python -m extract` is the `ward-extract` command."""
from .cli import main

raise SystemExit(main())
