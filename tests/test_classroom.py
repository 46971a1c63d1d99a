"""Tests for backlessons.classroom: handing answers in to the class folder."""

from __future__ import annotations

import csv
import errno
import os
import stat
from pathlib import Path

import pytest

from backlessons import classroom
from backlessons.classroom import HandInError, class_dir, hand_in, hand_in_file_name, learner_name
from backlessons.cli import main
from backlessons.instructor.results import merge_results
from backlessons.progress import EXPORT_COLUMNS, ProgressStore

OFF_HUB: dict[str, str] = {}


@pytest.fixture
def store(tmp_path: Path):
    with ProgressStore(tmp_path / "progress.sqlite3") as s:
        s.record("01_causes", "q1", "single", 1, "B", False, 0.0, 1)
        s.record("01_causes", "q1", "single", 0, "A", True, 1.0, 2)
        s.record("02_running_and_the_spine", "n1", "numeric", "-3", "=HYPERLINK(1)", False, 0.0, 1)
        yield s


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "class"
    path.mkdir()
    return path


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize(
    "name",
    ["ann", "Ann Smith", "../../etc/passwd", ".hidden", "..", "a/b\\c", "x" * 300, "Zoë Ødegård", "名前", "a b", "a_b"],
)
def test_file_name_is_safe_and_stable(name):
    """Is every file name free of separators and leading dots, bounded, and the same each time?"""
    file = hand_in_file_name(name)
    assert file == hand_in_file_name(name)
    assert "/" not in file and "\\" not in file and not file.startswith(".")
    assert file.endswith(".csv") and len(file) <= classroom.MAX_STEM + 4
    assert Path(file).name == file


def test_different_names_get_different_files():
    """Do names that clean up alike ('a b', 'a_b', 'A_B') still get their own files?"""
    names = ["a b", "a_b", "A_B", "a/b", "x" * 200, "x" * 201]
    files = {hand_in_file_name(n) for n in names}
    assert len(files) == len(names)
    assert hand_in_file_name("ann") == "ann.csv"  # an already safe hub name is kept as it is


def test_hub_user_wins_over_a_typed_name():
    """On a hub, is the login name used even when someone types another name?"""
    assert learner_name("Someone Else", {"JUPYTERHUB_USER": "learner1"}) == "learner1"
    assert learner_name("  Ann   Smith ", OFF_HUB) == "Ann Smith"
    with pytest.raises(HandInError, match="Type your name"):
        learner_name("   ", OFF_HUB)


def test_class_dir_lookup_order(tmp_path):
    """Is the class folder taken from the argument, then the environment, then the config file?"""
    config = tmp_path / "config.toml"
    config.write_text('[class]\nfolder = "/srv/from-config"\n', encoding="utf-8")
    env = {"BACKLESSONS_CONFIG": str(config)}
    assert class_dir(None, env) == Path("/srv/from-config")
    env["BACKLESSONS_CLASS_DIR"] = "/srv/from-env"
    assert class_dir(None, env) == Path("/srv/from-env")
    assert class_dir(tmp_path / "given", env) == tmp_path / "given"
    with pytest.raises(HandInError, match="No class folder is set"):
        class_dir(None, {"BACKLESSONS_CONFIG": str(tmp_path / "missing.toml")})
    config.write_text("[class\nfolder=", encoding="utf-8")
    with pytest.raises(HandInError, match=r"config\.toml: not valid TOML"):
        class_dir(None, {"BACKLESSONS_CONFIG": str(config)})


def test_hand_in_writes_the_export_that_merge_reads(store, folder):
    """Does the handed-in file hold every answer under the hub name, neutralised, and merge cleanly?"""
    result = hand_in(store, "typed", class_dir_path=folder, environ={"JUPYTERHUB_USER": "learner1"})
    assert result.path == folder / "learner1.csv" and result.answers == 3 and result.learner == "learner1"
    rows = read_rows(result.path)
    assert list(rows[0]) == list(EXPORT_COLUMNS)
    assert {r["learner"] for r in rows} == {"learner1"}
    assert [r["response_text"] for r in rows] == ["B", "A", "'=HYPERLINK(1)"]
    assert stat.S_IMODE(result.path.stat().st_mode) == classroom.HAND_IN_MODE
    assert sorted(p.name for p in folder.iterdir()) == ["learner1.csv"]  # no temporary file left
    merged = merge_results([folder])
    assert len(merged.frame) == 3 and set(merged.frame["learner"]) == {"learner1"}
    assert not merged.problems
    # The neutralised cell is read back as the learner typed it.
    assert "=HYPERLINK(1)" in set(merged.frame["response_text"])


def test_handing_in_again_replaces_only_own_file(store, folder):
    """Does a second hand-in replace the learner's file and leave another learner's file alone?"""
    other = folder / "learner2.csv"
    other.write_text("someone else's work\n", encoding="utf-8")
    first = hand_in(store, "ann", class_dir_path=folder, environ=OFF_HUB)
    store.record("01_causes", "q2", "true_false", True, "True", True, 1.0, 1)
    second = hand_in(store, "ann", class_dir_path=folder, environ=OFF_HUB)
    assert first.path == second.path and second.answers == 4
    assert len(read_rows(second.path)) == 4
    assert other.read_text(encoding="utf-8") == "someone else's work\n"
    assert sorted(p.name for p in folder.iterdir()) == ["ann.csv", "learner2.csv"]


def test_missing_folder_is_explained_and_nothing_is_lost(store, tmp_path):
    """Is a missing class folder a clear message, with every saved answer still there?"""
    before = len(store.events())
    with pytest.raises(HandInError, match="does not exist.*nothing was lost"):
        hand_in(store, "ann", class_dir_path=tmp_path / "nowhere", environ=OFF_HUB)
    (tmp_path / "a-file").write_text("x")
    with pytest.raises(HandInError, match="is not a folder"):
        hand_in(store, "ann", class_dir_path=tmp_path / "a-file", environ=OFF_HUB)
    assert len(store.events()) == before
    assert not (tmp_path / "nowhere").exists()


def test_no_answers_is_explained(tmp_path, folder):
    """Does handing in with nothing answered say so instead of writing an empty file?"""
    with ProgressStore(tmp_path / "empty.sqlite3") as empty, pytest.raises(HandInError, match="no saved answers"):
        hand_in(empty, "ann", class_dir_path=folder, environ=OFF_HUB)
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize(
    ("code", "words"),
    [(errno.ENOSPC, "is full"), (errno.EDQUOT, "is full"), (errno.EROFS, "not allowed to write"),
     (errno.EACCES, "not allowed to write"), (errno.EIO, "Could not write")],
)
def test_full_or_read_only_folder_keeps_the_old_file(store, folder, monkeypatch, code, words):
    """When the disk is full or read-only mid-write, is the message clear, the old file intact, no temp file left?"""
    hand_in(store, "ann", class_dir_path=folder, environ=OFF_HUB)
    old = (folder / "ann.csv").read_bytes()
    store.record("01_causes", "q3", "single", 0, "A", True, 1.0, 1)

    def fail(_fd):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr("backlessons.csvfile.os.fsync", fail)
    with pytest.raises(HandInError, match=words) as caught:
        hand_in(store, "ann", class_dir_path=folder, environ=OFF_HUB)
    assert "nothing was lost" in str(caught.value)
    assert (folder / "ann.csv").read_bytes() == old
    assert sorted(p.name for p in folder.iterdir()) == ["ann.csv"]
    assert len(store.events()) == 4


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a read-only folder anyway")
def test_real_read_only_folder(store, folder):
    """Is a folder without write permission reported (as a normal user)?"""
    folder.chmod(0o555)
    try:
        with pytest.raises(HandInError, match="not allowed to write"):
            hand_in(store, "ann", class_dir_path=folder, environ=OFF_HUB)
    finally:
        folder.chmod(0o755)


def test_cli_hand_in(store, folder, tmp_path, monkeypatch, capsys):
    """Does `backlessons hand-in` write the file, and fail with status 1 and a message when it cannot?"""
    monkeypatch.setenv("BACKLESSONS_HOME", str(tmp_path))
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    monkeypatch.delenv("BACKLESSONS_CLASS_DIR", raising=False)
    monkeypatch.setenv("BACKLESSONS_CONFIG", str(tmp_path / "no-config.toml"))
    store.close()
    assert main(["hand-in", "--learner", "Ann Smith", "--class-dir", str(folder)]) == 0
    written = folder / hand_in_file_name("Ann Smith")
    assert len(read_rows(written)) == 3
    assert "Handed in 3 answer(s) as Ann Smith" in capsys.readouterr().err
    assert main(["hand-in", "--learner", "Ann"]) == 1
    assert "No class folder is set" in capsys.readouterr().err


# -- the drop box of docs/deploy-jupyterhub.md, with real Unix users ----------------------

ANN, BOB, INSTRUCTOR, INSTRUCTORS_GROUP = 64001, 64002, 64003, 64100  # uids and gid no account uses


def as_user(uid: int, groups: list[int], work) -> str:
    """Run work() in a forked child as *uid* (primary group = uid, plus *groups*); its result or error as text."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 0
        try:
            os.close(read_end)
            os.setgroups(groups)
            os.setgid(uid)
            os.setuid(uid)
            text = str(work())
        except BaseException as err:  # noqa: BLE001 - reported to the parent as text
            text, code = f"{type(err).__name__}: {err}", 1
        os.write(write_end, text.encode("utf-8", "replace")[:8000])
        os._exit(code)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        text = pipe.read().decode("utf-8")
    _, status = os.waitpid(pid, 0)
    return f"{'ok' if os.waitstatus_to_exitcode(status) == 0 else 'failed'}: {text}"


def hand_in_as(login: str, folder: Path):
    """A learner on the hub: some answers in their own store, then hand-in (run in the child)."""

    def work() -> str:
        with ProgressStore(":memory:") as own:
            own.record("01_causes", "q1", "single", 0, "A", True, 1.0, 1)
            return str(hand_in(own, class_dir_path=folder, environ={"JUPYTERHUB_USER": login}).path)

    return work


@pytest.mark.skipif(not hasattr(os, "fork") or os.geteuid() != 0,
                    reason="acting as several Unix users needs root (CI runs as root); "
                           "as a normal user test_real_read_only_folder covers the read-only case")
def test_drop_box_permissions_as_documented():
    """In a mode-3773 drop box (docs/deploy-jupyterhub.md), can learners hand in and replace only
    their own file, neither list nor read others', is an impostor refused with the documented
    message, can the instructors' group read everything, and is a read-only folder explained?"""
    import shutil
    import tempfile

    top = Path(tempfile.mkdtemp(prefix="backlessons-dropbox-"))
    try:
        # Once as root first: every module the children use is imported before they fork
        # (a uid without an account cannot read Python's own folder under /root).
        (top / "warm-up").mkdir()
        hand_in_as("warm-up", top / "warm-up")()
        merge_results([top / "warm-up"])
        top.chmod(0o755)
        box = top / "handin"
        box.mkdir()
        os.chown(box, 0, INSTRUCTORS_GROUP)
        box.chmod(0o3773)  # the documented mode: setgid, sticky, rwx owner and group, -wx others

        assert as_user(ANN, [], hand_in_as("ann", box)) == f"ok: {box / 'ann.csv'}"
        assert as_user(BOB, [], hand_in_as("bob", box)).startswith("ok: ")
        assert as_user(ANN, [], hand_in_as("ann", box)).startswith("ok: ")  # again: her own file replaced
        ann_file = (box / "ann.csv").stat()
        assert (ann_file.st_uid, ann_file.st_gid, stat.S_IMODE(ann_file.st_mode)) == (ANN, INSTRUCTORS_GROUP, 0o640)

        assert as_user(BOB, [], lambda: os.listdir(box)).startswith("failed: PermissionError")
        assert as_user(BOB, [], lambda: (box / "ann.csv").read_text()).startswith("failed: PermissionError")
        # Bob sets JUPYTERHUB_USER=ann himself: the sticky bit keeps Ann's file, and he is told why.
        impostor = as_user(BOB, [], hand_in_as("ann", box))
        assert impostor.startswith("failed: HandInError") and "belongs to someone else" in impostor
        assert sorted(os.listdir(box)) == ["ann.csv", "bob.csv"]  # no temporary file left behind
        assert {r["learner"] for r in read_rows(box / "ann.csv")} == {"ann"}

        merged = as_user(INSTRUCTOR, [INSTRUCTORS_GROUP],
                         lambda: sorted(merge_results([box]).frame["learner"].unique()))
        assert merged == "ok: ['ann', 'bob']"

        box.chmod(0o3775)  # others r-x: a read-only class folder, with a real permission error
        read_only = as_user(ANN, [], hand_in_as("ann", box))
        assert read_only.startswith("failed: HandInError") and "not allowed to write" in read_only
        assert "nothing was lost" in read_only
    finally:
        shutil.rmtree(top)
