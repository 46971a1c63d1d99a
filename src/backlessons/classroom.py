"""Hand in: copy a learner's saved answers into the class folder an instructor merges.

Pure Python (no widgets): the progress dashboard's "Hand in my answers" button and
``backlessons hand-in`` both call :func:`hand_in`.

Where the class folder is, first match wins:

1. the folder passed in (``hand_in(class_dir=...)``, ``backlessons hand-in --class-dir``);
2. the environment variable ``BACKLESSONS_CLASS_DIR``;
3. the config file named by ``BACKLESSONS_CONFIG``, else ``/etc/backlessons/config.toml``
   (``CONFIG_PATHS``; a hub image ships it), key ``folder`` in table ``[class]``::

       [class]
       folder = "/srv/backlessons/handin"

Who is handing in: on a JupyterHub, the hub's login name (``JUPYTERHUB_USER``); a name
passed in is then ignored, so nobody hands in under someone else's name. Off a hub, the
name passed in (typed into the dashboard, or ``--learner``).

The file is ``<name>.csv`` when the name is already a safe file name (lower-case
letters, digits, ``.``, ``_``, ``-``; no leading dot; at most ``MAX_STEM`` characters),
else a cleaned name plus 8 hex digits of its SHA-256, so two different names never share
a file and the same name always gets the same one. The file holds the progress export
(``EXPORT_COLUMNS``), written through a temporary file in the class folder and a rename
(``backlessons.csvfile.write_atomic``): a reader never sees half a file, and handing in
again replaces only this learner's own file. The temporary file's name starts with a dot
and ends in ``.tmp``, so ``results merge`` never reads one that a crash left behind.

Nothing here writes to the progress store: when the class folder is missing, read-only
or full, :class:`HandInError` says so in plain words and every answer stays saved.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

from backlessons.csvfile import rows_to_csv, write_atomic

if TYPE_CHECKING:
    from backlessons.progress import ProgressStore

__all__ = [
    "CLASS_DIR_ENV",
    "CONFIG_ENV",
    "CONFIG_PATHS",
    "HandInError",
    "HandInResult",
    "MAX_STEM",
    "class_dir",
    "hand_in",
    "hand_in_file_name",
    "is_hand_in_file_of",
    "learner_name",
    "on_hub",
]

CLASS_DIR_ENV = "BACKLESSONS_CLASS_DIR"
CONFIG_ENV = "BACKLESSONS_CONFIG"
CONFIG_PATHS: tuple[Path, ...] = (Path("/etc/backlessons/config.toml"),)
HUB_USER_ENV = "JUPYTERHUB_USER"
MAX_STEM = 64
# Group-readable so an instructors' group can read a drop box (docs/deploy-jupyterhub.md);
# never readable by other learners.
HAND_IN_MODE = 0o640
_SAFE = re.compile(r"[a-z0-9_-][a-z0-9._-]*")
_UNSAFE_RUN = re.compile(r"[^a-z0-9._-]+")
_KEEP_SAFE = "Your answers are still saved here; nothing was lost."


class HandInError(Exception):
    """Handing in could not be done; the message says why in plain words (local answers are kept)."""


@dataclass(frozen=True)
class HandInResult:
    """What was handed in: the file written, under which name, how many answers."""

    path: Path
    learner: str
    answers: int


def on_hub(environ: Mapping[str, str] | None = None) -> bool:
    """Is this a JupyterHub single-user server (``JUPYTERHUB_USER`` set)?"""
    env = os.environ if environ is None else environ
    return bool(env.get(HUB_USER_ENV, "").strip())


def learner_name(typed: str = "", environ: Mapping[str, str] | None = None) -> str:
    """The hub login name on a hub, else *typed* (stripped); HandInError when there is neither."""
    env = os.environ if environ is None else environ
    hub_user = env.get(HUB_USER_ENV, "").strip()
    if hub_user:
        return hub_user
    name = " ".join(str(typed).split())
    if not name:
        raise HandInError("Type your name (or class id) first, so your instructor knows whose answers these are.")
    return name


def hand_in_file_name(learner: str) -> str:
    """The class-folder file name for *learner*: stable, safe, unique per name (see the module doc)."""
    name = str(learner).strip()
    if not name:
        raise HandInError("A learner name is needed to name the hand-in file.")
    if _SAFE.fullmatch(name) and len(name) <= MAX_STEM:
        return f"{name}.csv"
    digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    cleaned = _UNSAFE_RUN.sub("_", ascii_name).lstrip("._-")[: MAX_STEM - 9].rstrip("._-")
    return f"{cleaned}-{digest}.csv" if cleaned else f"learner-{digest}.csv"


def is_hand_in_file_of(file_name: str, learner: str) -> bool:
    """Is *file_name* the file :func:`hand_in_file_name` gives *learner* (False for a blank name)?"""
    return bool(str(learner).strip()) and file_name == hand_in_file_name(learner)


def _read_config(path: Path) -> str:
    """The class folder named in one config file ('' when the file says nothing about it)."""
    import tomllib

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as err:
        raise HandInError(f"{path}: not valid TOML ({err}); ask your instructor to fix the class settings.") from err
    section = data.get("class", {})
    folder = section.get("folder", "") if isinstance(section, dict) else ""
    if not isinstance(folder, str):
        raise HandInError(f"{path}: [class] folder must be text (a folder path).")
    return folder.strip()


def class_dir(explicit: str | os.PathLike[str] | None = None, environ: Mapping[str, str] | None = None) -> Path:
    """The class folder, by the lookup order in the module doc; HandInError when none is set."""
    env = os.environ if environ is None else environ
    if explicit not in (None, ""):
        return Path(explicit).expanduser()  # type: ignore[arg-type]
    from_env = env.get(CLASS_DIR_ENV, "").strip()
    if from_env:
        return Path(from_env).expanduser()
    named = env.get(CONFIG_ENV, "").strip()
    candidates = (Path(named).expanduser(),) if named else CONFIG_PATHS
    for path in candidates:
        try:
            folder = _read_config(path)
        except FileNotFoundError:
            continue
        except OSError as err:
            raise HandInError(f"{path}: cannot read the class settings ({err.strerror or err}).") from err
        if folder:
            return Path(folder).expanduser()
    where = ", ".join(str(p) for p in candidates)
    raise HandInError(
        "No class folder is set, so there is nowhere to hand in. Your instructor sets it "
        f"({CLASS_DIR_ENV}, or [class] folder in {where}). {_KEEP_SAFE}"
    )


def _export_rows(store: ProgressStore, learner: str) -> list[list[Any]]:
    """The progress export's rows (``EXPORT_COLUMNS``) for *learner*, oldest answer first."""
    from backlessons import __version__
    from backlessons.progress import EVENT_COLUMNS, EXPORT_FORMAT

    rows = []
    for event in store.events().itertuples(index=False):
        values = dict(zip(EVENT_COLUMNS, event))
        values["correct"] = "true" if values["correct"] else "false"
        values["score"] = float(values["score"])
        values["attempt"] = int(values["attempt"])
        rows.append([EXPORT_FORMAT, learner, *(values[c] for c in EVENT_COLUMNS), __version__])
    return rows


def _problem(err: OSError, folder: Path) -> str:
    """A plain sentence for why writing into *folder* failed."""
    code = err.errno
    if code in (errno.ENOSPC, errno.EDQUOT):
        return f"The class folder {folder} is full (no space left). Tell your instructor. {_KEEP_SAFE}"
    if code in (errno.EACCES, errno.EPERM, errno.EROFS):
        return (
            f"You are not allowed to write in the class folder {folder} (it is read-only, or "
            f"your file there belongs to someone else). Tell your instructor. {_KEEP_SAFE}"
        )
    return f"Could not write to the class folder {folder}: {err.strerror or err}. {_KEEP_SAFE}"


def hand_in(
    store: ProgressStore,
    learner: str = "",
    *,
    class_dir_path: str | os.PathLike[str] | None = None,
    environ: Mapping[str, str] | None = None,
) -> HandInResult:
    """Write the learner's answers to their file in the class folder, atomically.

    Raises :class:`HandInError` (with a message fit to show the learner) when there is no
    name, no class folder, nothing to hand in, or the folder cannot be written. The
    progress store is only read.
    """
    name = learner_name(learner, environ)
    folder = class_dir(class_dir_path, environ)
    if not folder.is_dir():
        what = "is not a folder" if folder.exists() else "does not exist"
        raise HandInError(f"The class folder {folder} {what}. Tell your instructor. {_KEEP_SAFE}")
    from backlessons.progress import EXPORT_COLUMNS

    rows = _export_rows(store, name)
    if not rows:
        raise HandInError("You have no saved answers yet: answer some questions first, then hand in.")
    target = folder / hand_in_file_name(name)
    try:
        write_atomic(target, rows_to_csv(EXPORT_COLUMNS, rows))
    except OSError as err:
        raise HandInError(_problem(err, folder)) from err
    # The file is handed in; a share that refuses chmod (some NFS/SMB mounts) keeps its default mode.
    with contextlib.suppress(OSError):
        os.chmod(target, HAND_IN_MODE)
    return HandInResult(target, name, len(rows))
