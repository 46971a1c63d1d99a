"""The ``backlessons`` command line: parse arguments, call a function, print at the edge.

Each command's work lives in the module that owns it (quiz, progress, instructor);
this module only maps subcommands to those functions and turns results into
output and an exit status. Imports happen inside the commands so that
``backlessons --help`` stays fast.
"""

from __future__ import annotations

import argparse
import os
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


def _cmd_lint(args: argparse.Namespace) -> int:
    from backlessons.quiz.lint import lint_paths

    warnings, problems = lint_paths(args.paths)
    for line in [*problems, *warnings]:
        print(line)
    print(f"{len(warnings)} warning(s), {len(problems)} problem(s).", file=sys.stderr)
    return 1 if problems or (args.strict and warnings) else 0


def _cmd_safety_card(args: argparse.Namespace) -> int:
    from backlessons.clinical import safety_net_card_markdown

    text = safety_net_card_markdown()
    if args.out is None:
        sys.stdout.write(text)
    else:
        from backlessons.csvfile import write_atomic

        write_atomic(args.out, text)
        print(f"Wrote the safety-net card to {args.out}", file=sys.stderr)
    return 0


def _cmd_progress_export(args: argparse.Namespace) -> int:
    from backlessons.progress import ProgressStore

    with ProgressStore() as store:
        rows = store.export_csv(args.out, learner=args.learner)
        if args.review_out:
            from backlessons.review import export_csv as export_review

            scheduled = export_review(store, args.review_out, learner=args.learner)
            print(f"Wrote the review schedule of {scheduled} question(s) to {args.review_out}", file=sys.stderr)
    print(f"Wrote {rows} answer(s) to {args.out}", file=sys.stderr)
    return 0


def _cmd_hand_in(args: argparse.Namespace) -> int:
    from backlessons.classroom import HandInError, hand_in
    from backlessons.progress import ProgressStore

    try:
        with ProgressStore() as store:
            result = hand_in(store, args.learner, class_dir_path=args.class_dir)
    except HandInError as err:
        print(f"backlessons: {err}", file=sys.stderr)
        return 1
    print(f"Handed in {result.answers} answer(s) as {result.learner} to {result.path}", file=sys.stderr)
    return 0


def _cmd_progress_reset(args: argparse.Namespace) -> int:
    from backlessons.progress import ProgressStore

    what = f"lesson {args.lesson}" if args.lesson else "every lesson"
    if not args.yes:
        if not sys.stdin or not sys.stdin.isatty():
            print("Refusing to reset without confirmation; pass --yes.", file=sys.stderr)
            return 2
        try:
            reply = input(f"Delete your saved answers for {what}? [y/N] ")
        except (EOFError, KeyboardInterrupt):  # Ctrl-D or Ctrl-C at the prompt means no
            print("\nNothing deleted.", file=sys.stderr)
            return 1
        if reply.strip().lower() not in {"y", "yes"}:
            print("Nothing deleted.", file=sys.stderr)
            return 1
    with ProgressStore() as store:
        rows = store.reset(lesson=args.lesson)
    print(f"Deleted {rows} answer(s) for {what}, with their review schedule.", file=sys.stderr)
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
    from backlessons.instructor.results import merge_results

    merged, problems = merge_results(args.inputs, anonymize=args.anonymize)
    for problem in problems:
        print(problem, file=sys.stderr)
    merged.to_csv(args.out, index=False)
    print(f"Merged {len(merged)} answer(s) into {args.out}", file=sys.stderr)
    return 0


def _cmd_results_gradebook(args: argparse.Namespace) -> int:
    from backlessons.instructor.lms import GradebookError, write_gradebook

    try:
        path = write_gradebook(args.results, args.format, args.out)
    except GradebookError as err:
        print(f"backlessons: {err}", file=sys.stderr)
        return 1
    print(f"Wrote the {args.format} gradebook to {path}", file=sys.stderr)
    return 0


def _cmd_bank_export(args: argparse.Namespace) -> int:
    from backlessons.instructor.lms import export_bank

    text, notes = export_bank(args.bank, args.format, args.out)
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    if args.out in (None, "-"):
        sys.stdout.write(text)
    else:
        print(f"Wrote {args.out}", file=sys.stderr)
    return 0


def _cmd_results_report(args: argparse.Namespace) -> int:
    from backlessons.instructor.report import render_report

    _write_text(args.out, render_report(args.results))
    return 0


def _cmd_site(args: argparse.Namespace) -> int:
    from backlessons.site import SiteLinks, build_site

    links = SiteLinks(args.repo_url or "", args.branch)
    try:
        out = build_site(Path(args.course), Path(args.out), links)
    except RuntimeError as err:
        print(f"backlessons: {err}", file=sys.stderr)
        return 1
    print(f"Built the website in {out} (open {out / 'index.html'})", file=sys.stderr)
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

    lint = sub.add_parser("lint", help="item-writing checks for question banks (see docs/question-bank.md)")
    lint.add_argument("paths", nargs="*", help="bank files or folders (default: every shipped bank)")
    lint.add_argument("--strict", action="store_true", help="exit with status 1 on any warning")
    lint.set_defaults(func=_cmd_lint)

    card = sub.add_parser("safety-card", help="the cauda equina safety-net card as Markdown")
    card.add_argument("--out", default=None, help="file to write (default: print it)")
    card.set_defaults(func=_cmd_safety_card)

    progress = sub.add_parser("progress", help="your saved answers")
    progress_sub = progress.add_subparsers(dest="progress_command", required=True, metavar="ACTION")
    export = progress_sub.add_parser("export", help="write your answers to a CSV file")
    export.add_argument("--out", required=True, help="CSV file to write")
    export.add_argument("--learner", default="", help="your name or class id, stored in every row")
    export.add_argument(
        "--review-out",
        help="also write your spaced-review schedule to this CSV file (kept apart from the answers, "
        "so an instructor's merge of answer files never reads it)",
    )
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

    hand_in = sub.add_parser(
        "hand-in",
        help="copy your answers into the class folder",
        description="Write your answers to your own file in the class folder (atomic; handing in "
        "again replaces only your file). Class folder: --class-dir, else $BACKLESSONS_CLASS_DIR, "
        "else [class] folder in $BACKLESSONS_CONFIG or /etc/backlessons/config.toml. "
        "On a JupyterHub your login name is used.",
    )
    hand_in.add_argument("--learner", default="", help="your name or class id (ignored on a JupyterHub)")
    hand_in.add_argument("--class-dir", help="the class folder (default: see above)")
    hand_in.set_defaults(func=_cmd_hand_in)

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
    bank_export = bank_sub.add_parser(
        "export",
        help="write a bank as Moodle XML or GIFT for an LMS",
        description="Write a bank for Moodle's question bank, as Moodle XML or GIFT. Ordering questions "
        "and a few fields have no place in these formats: each one left out is printed as a note.",
    )
    bank_export.add_argument("bank", help="lesson id (e.g. 01_causes) or bank file")
    bank_export.add_argument("--format", choices=("moodle-xml", "gift"), required=True)
    bank_export.add_argument("--out", help="file to write (default: standard output)")
    bank_export.set_defaults(func=_cmd_bank_export)

    results = sub.add_parser("results", help="instructor: collect and report class results")
    results_sub = results.add_subparsers(dest="results_command", required=True, metavar="ACTION")
    merge = results_sub.add_parser("merge", help="merge learners' exported CSV files")
    merge.add_argument("inputs", nargs="+", help="CSV files or folders of them")
    merge.add_argument("--out", required=True, help="merged CSV to write")
    merge.add_argument("--anonymize", action="store_true", help="replace names with stable pseudonyms")
    merge.set_defaults(func=_cmd_results_merge)
    report = results_sub.add_parser("report", help="a self-contained HTML report of a merged file")
    report.add_argument("results", help="merged class CSV")
    report.add_argument("--out", required=True, help="HTML file to write")
    report.set_defaults(func=_cmd_results_report)
    gradebook = results_sub.add_parser(
        "gradebook",
        help="a grade-import CSV for Moodle or Canvas from a merged file",
        description="One row per learner, one column per lesson (percent of the lesson's questions "
        "answered right, best attempt each), in the layout Moodle's or Canvas's grade import reads.",
    )
    gradebook.add_argument("results", help="merged class CSV (from `results merge`)")
    gradebook.add_argument("--format", choices=("moodle", "canvas"), required=True)
    gradebook.add_argument("--out", required=True, help="CSV file to write")
    gradebook.set_defaults(func=_cmd_results_gradebook)

    site = sub.add_parser(
        "site",
        help="build the course as a static website (needs the 'site' extra)",
        description="Build the course's committed notebooks into a static website, without running "
        "them and without the network. Publishing: docs/publishing.md.",
    )
    site.add_argument("--out", default="_build/site", help="folder to write (default: _build/site)")
    site.add_argument("--course", default=".", help="the course checkout (default: here)")
    site.add_argument(
        "--repo-url",
        default=os.environ.get("BACKLESSONS_REPO_URL", ""),
        help="https://github.com/OWNER/REPO, for 'open on Binder' links (default: $BACKLESSONS_REPO_URL)",
    )
    site.add_argument("--branch", default="main", help="branch for the Binder links (default: main)")
    site.set_defaults(func=_cmd_site)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    import sqlite3

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
    except sqlite3.Error as err:  # the progress store: locked past the timeout, disk full, damaged
        from backlessons.progress import default_path

        print(f"backlessons: cannot use the progress file {default_path()}: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
