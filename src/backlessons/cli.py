"""The ``backlessons`` command line: parse arguments, call a function, print at the edge.

Each command's work lives in the module that owns it (quiz, progress, instructor);
this module only maps subcommands to those functions and turns results into
output and an exit status. Imports happen inside the commands so that
``backlessons --help`` stays fast.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Callable, Sequence

from backlessons import __version__

__all__ = ["main", "build_parser"]


def _cmd_validate(args: argparse.Namespace) -> int:
    from backlessons.quiz import validate_paths

    problems = validate_paths(args.paths)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) found.", file=sys.stderr)
        return 1
    print("All content is valid.", file=sys.stderr)
    return 0


def _cmd_progress_export(args: argparse.Namespace) -> int:
    from backlessons.progress import ProgressStore

    with ProgressStore() as store:
        rows = store.export_csv(args.out, learner=args.learner)
    print(f"Wrote {rows} answer(s) to {args.out}", file=sys.stderr)
    return 0


def _cmd_progress_reset(args: argparse.Namespace) -> int:
    from backlessons.progress import ProgressStore

    what = f"lesson {args.lesson}" if args.lesson else "every lesson"
    if not args.yes:
        if not sys.stdin or not sys.stdin.isatty():
            print("Refusing to reset without confirmation; pass --yes.", file=sys.stderr)
            return 2
        reply = input(f"Delete your saved answers for {what}? [y/N] ")
        if reply.strip().lower() not in {"y", "yes"}:
            print("Nothing deleted.", file=sys.stderr)
            return 1
    with ProgressStore() as store:
        rows = store.reset(lesson=args.lesson)
    print(f"Deleted {rows} answer(s) for {what}.", file=sys.stderr)
    return 0


def _cmd_answer_key(args: argparse.Namespace) -> int:
    from backlessons.instructor.answer_key import render_answer_key

    text = render_answer_key(args.banks, fmt=args.format)
    _write_text(args.out, text)
    return 0


def _cmd_bank_new(args: argparse.Namespace) -> int:
    from backlessons.instructor.scaffold import new_bank

    path = new_bank(args.name, directory=args.dir)
    print(f"Created {path}; check it with: backlessons validate {path}", file=sys.stderr)
    return 0


def _cmd_results_merge(args: argparse.Namespace) -> int:
    from backlessons.csvfile import write_atomic
    from backlessons.instructor.results import merge_results, merged_csv_text

    result = merge_results(args.inputs, anonymize=args.anonymize)
    for line in result.summary():
        print(line, file=sys.stderr)
    if len(result.frame) == 0:
        print(f"Nothing to merge; {args.out} left as it was.", file=sys.stderr)
        return 1
    if result.problems and not args.skip_bad:
        print(f"{len(result.problems)} input(s) could not be merged; {args.out} left as it was. "
              "Fix them, or pass --skip-bad to merge the rest.", file=sys.stderr)
        return 1
    write_atomic(args.out, merged_csv_text(result.frame))
    skipped = f", skipped {len(result.problems)} input(s)" if result.problems else ""
    print(f"Merged {len(result.frame)} answer(s) from {len(result.merged_files)} file(s) into {args.out}{skipped}",
          file=sys.stderr)
    return 0


def _cmd_results_report(args: argparse.Namespace) -> int:
    from dataclasses import fields

    from backlessons.instructor.report import render_report
    from backlessons.instructor.stats import Thresholds

    known = {field.name: field.type for field in fields(Thresholds)}
    changes: dict[str, float] = {}
    for item in args.threshold:
        name, _, value = item.partition("=")
        try:
            changes[name.strip()] = (int if known[name.strip()] in ("int", int) else float)(value)
        except (KeyError, ValueError):
            print(f"--threshold {item}: expected NAME=NUMBER with NAME one of {', '.join(known)}", file=sys.stderr)
            return 2
    _write_text(args.out, render_report(args.results, thresholds=Thresholds(**changes)))
    return 0


def _cmd_results_demo(args: argparse.Namespace) -> int:
    from backlessons.instructor.demo import write_demo_class

    write_demo_class(args.out)
    print(f"Wrote the synthetic demo class to {args.out}", file=sys.stderr)
    return 0


def _write_text(out: str | None, text: str) -> None:
    if out in (None, "-"):
        sys.stdout.write(text)
        return
    Path(out).write_text(text, encoding="utf-8")
    print(f"Wrote {out}", file=sys.stderr)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="backlessons",
        description="Course tools for backlessons: check content, manage progress, instructor kit.",
    )
    parser.add_argument("--version", action="version", version=f"backlessons {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = sub.add_parser("validate", help="check question banks and data files")
    validate.add_argument("paths", nargs="*", help="bank files or folders (default: everything shipped)")
    validate.set_defaults(func=_cmd_validate)

    progress = sub.add_parser("progress", help="your saved answers")
    progress_sub = progress.add_subparsers(dest="progress_command", required=True, metavar="ACTION")
    export = progress_sub.add_parser("export", help="write your answers to a CSV file")
    export.add_argument("--out", required=True, help="CSV file to write")
    export.add_argument("--learner", default="", help="your name or class id, stored in every row")
    export.set_defaults(func=_cmd_progress_export)
    reset = progress_sub.add_parser(
        "reset",
        help="delete saved answers",
        description="Delete saved answers. Without --yes it asks first, and only at a terminal: "
        "when input is not a terminal (a pipe, a script, CI) it refuses with exit status 2, "
        "even if 'y' is piped in, so pass --yes there.",
    )
    reset.add_argument("--lesson", help="only this lesson (default: all)")
    reset.add_argument(
        "--yes", action="store_true", help="do not ask for confirmation (required when not at a terminal)"
    )
    reset.set_defaults(func=_cmd_progress_reset)

    key = sub.add_parser("answer-key", help="instructor: every question with its answer")
    key.add_argument("banks", nargs="*", help="lesson ids or bank paths (default: every lesson)")
    key.add_argument("--format", choices=("md", "html"), default="md")
    key.add_argument("--out", help="file to write (default: standard output)")
    key.set_defaults(func=_cmd_answer_key)

    bank = sub.add_parser("bank", help="instructor: your own question banks")
    bank_sub = bank.add_subparsers(dest="bank_command", required=True, metavar="ACTION")
    new = bank_sub.add_parser("new", help="create a bank with one example of every question type")
    new.add_argument("name", help="bank name, e.g. week3")
    new.add_argument("--dir", default=".", help="folder to create it in (default: here)")
    new.set_defaults(func=_cmd_bank_new)

    results = sub.add_parser("results", help="instructor: collect and report class results")
    results_sub = results.add_subparsers(dest="results_command", required=True, metavar="ACTION")
    merge = results_sub.add_parser("merge", help="merge learners' exported CSV files")
    merge.add_argument("inputs", nargs="+", help="CSV files or folders of them")
    merge.add_argument("--out", required=True, help="merged CSV to write")
    merge.add_argument("--anonymize", action="store_true", help="replace names with stable pseudonyms")
    merge.add_argument("--skip-bad", action="store_true",
                       help="merge the good files even if some cannot be merged (each is still listed); "
                       "without it, any skipped input leaves --out untouched and exits 1")
    merge.set_defaults(func=_cmd_results_merge)
    report = results_sub.add_parser("report", help="a self-contained HTML report of a merged file")
    report.add_argument("results", help="merged class CSV")
    report.add_argument("--out", required=True, help="HTML file to write")
    report.add_argument("--threshold", action="append", default=[], metavar="NAME=NUMBER",
                        help="change a flag threshold, e.g. too_easy=0.95 (see docs/statistics.md); repeatable")
    report.set_defaults(func=_cmd_results_report)
    demo = results_sub.add_parser("demo", help="write the synthetic demo class (regenerate after bank changes)")
    demo.add_argument("--out", required=True, help="CSV file to write, e.g. data/demo/class_results.csv")
    demo.set_defaults(func=_cmd_results_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from backlessons.errors import ContentError

    args = build_parser().parse_args(argv)
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except ContentError as err:
        print(err, file=sys.stderr)
        return 1
    except OSError as err:
        print(f"backlessons: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
