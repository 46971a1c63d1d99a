"""Helpers for the workshop guide notebook: learning outcomes, hand-out links.

Kept in the package so the notebook stays thin and the links can be tested.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit

if TYPE_CHECKING:
    from backlessons.display import Rendered

__all__ = ["learning_outcomes", "nbgitpuller_link", "binder_link", "START_NOTEBOOK"]

START_NOTEBOOK = "notebooks/00_start_here.ipynb"


def learning_outcomes() -> Rendered:
    """Every notebook with its learning outcomes, from data/lessons.csv (plain text and HTML)."""
    from backlessons import content
    from backlessons.display import Rendered
    from backlessons.markup import escape

    plain = ["Learning outcomes per notebook"]
    rows = []
    for row in content.rows("lessons"):
        objectives = tuple(row.objectives)
        plain.append(f"{row.id}.ipynb: {row.title}")
        plain += [f"  - {objective}" for objective in objectives]
        items = "".join(f"<li>{escape(objective)}</li>" for objective in objectives)
        rows.append(f"<tr><td><code>{escape(row.id)}</code></td><td>{escape(row.title)}</td>"
                    f"<td><ul>{items}</ul></td></tr>")
    html = ('<table class="bl-table"><thead><tr><th scope="col">Notebook</th><th scope="col">Title</th>'
            f'<th scope="col">Learners can</th></tr></thead><tbody>{"".join(rows)}</tbody></table>')
    return Rendered(plain="\n".join(plain), html=html)


def _repo_name(repo: str) -> str:
    path = urlsplit(repo).path.rstrip("/")
    name = path.rsplit("/", 1)[-1].removesuffix(".git")
    if not name:
        raise ValueError(f"cannot tell the repository name from {repo!r}")
    return name


def nbgitpuller_link(hub: str, repo: str, branch: str = "main", notebook: str = START_NOTEBOOK) -> str:
    """A JupyterHub link that clones (or updates) *repo* for each learner and opens *notebook*.

    ``https://<hub>/hub/user-redirect/git-pull?repo=<url>&branch=main&urlpath=lab/tree/<repo>/<notebook>``;
    nbgitpuller clones into a folder named after the repository, hence ``<repo>/`` in the path.
    """
    host = hub.removeprefix("https://").removeprefix("http://").rstrip("/")
    urlpath = f"lab/tree/{_repo_name(repo)}/{notebook}"
    return (f"https://{host}/hub/user-redirect/git-pull?repo={quote(repo, safe='')}"
            f"&branch={quote(branch, safe='')}&urlpath={quote(urlpath, safe='/')}")


def binder_link(repo: str, branch: str = "main", notebook: str = START_NOTEBOOK) -> str:
    """A mybinder.org link for a GitHub repository (``https://github.com/<owner>/<name>``)."""
    parts = urlsplit(repo)
    owner_name = parts.path.strip("/").removesuffix(".git")
    if parts.netloc != "github.com" or owner_name.count("/") != 1:
        raise ValueError(f"binder_link needs https://github.com/OWNER/NAME, not {repo!r}")
    return f"https://mybinder.org/v2/gh/{owner_name}/{quote(branch, safe='')}?urlpath={quote('lab/tree/' + notebook, safe='/')}"
