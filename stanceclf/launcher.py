"""The ``stanceclf`` console script: a quick path for the most common call, click for the rest.

``stanceclf predict "a statement" ...`` is what people type most, and importing click costs
more than the prediction itself. This module answers that call, with only ``--model``,
``--proba`` and ``--format`` among its options, using numpy alone; every other command line goes
to :func:`stanceclf.cli.main` unchanged. Tests hold the two paths' outputs identical.
"""

from __future__ import annotations

import sys

_FORMATS = ("text", "json", "jsonl", "csv")


def main(argv: list[str] | None = None) -> None:
    """Run the command line ``argv`` (default: ``sys.argv[1:]``)."""
    args = sys.argv[1:] if argv is None else list(argv)
    quick = _parse_quick_predict(args)
    if quick is None:
        from stanceclf.cli import main as click_main

        click_main(args=args, prog_name="stanceclf")
        return
    sys.exit(_quick_predict(**quick))


def _parse_quick_predict(args: list[str]) -> dict | None:
    """The options of a plain ``predict TEXT...`` call, or None if it needs the full CLI."""
    if not args or args[0] != "predict":
        return None
    texts: list[str] = []
    options: dict[str, object] = {"model_path": None, "proba": False, "fmt": "text"}
    rest = iter(args[1:])
    for arg in rest:
        name, has_value, value = arg.partition("=")
        if arg == "--proba":
            options["proba"] = True
        elif name in ("--model", "--format"):
            given = value if has_value else next(rest, None)
            if given is None or (name == "--format" and given not in _FORMATS):
                return None  # let click explain the mistake
            options["model_path" if name == "--model" else "fmt"] = given
        elif arg.startswith("-"):
            return None  # any other option, "-" for stdin, "--": the full CLI handles it
        else:
            texts.append(arg)
    if not texts:
        return None
    return {"texts": texts, **options}


def _quick_predict(texts: list[str], model_path: str | None, proba: bool, fmt: str) -> int:
    from stanceclf.abstention import abstention_for
    from stanceclf.batch import predict_rows
    from stanceclf.data import file_argument_warnings
    from stanceclf.errors import StanceError
    from stanceclf.inference import load_predictor
    from stanceclf.persist import default_model_path
    from stanceclf.targets import check_target_options

    try:
        predictor = load_predictor(model_path or default_model_path())
        check_target_options(predictor, None, None)
        for warning in file_argument_warnings(texts):
            print(warning, file=sys.stderr)
        abstention = abstention_for(predictor)  # the stored thresholds, as the full command applies them
        predict_rows(
            predictor, enumerate(texts, start=1), sys.stdout.write, fmt=fmt, proba=proba, abstention=abstention
        )
    except StanceError as error:
        print(f"Error: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    sys.stdout.flush()
    return 0
