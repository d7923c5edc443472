"""``python -m stanceclf``: the same as the ``stanceclf`` command."""

from stanceclf.cli import main

main(prog_name="stanceclf")
