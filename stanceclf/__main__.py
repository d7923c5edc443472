"""``python -m stanceclf``: the same as the ``stanceclf`` command."""

from stanceclf.launcher import main

main()
