"""A class on a real JupyterHub: three learners hand in through the browser, the instructor merges.

The hub runs on 127.0.0.1 only, on free ports, with configurable-http-proxy (from npm:
``npm install --prefix .hub-tools configurable-http-proxy``, or on PATH), the dummy
authenticator with a password, and SimpleLocalProcessSpawner (every user runs as the
tester, homes in a temporary folder). The course reaches the learners through an
nbgitpuller link to a bare git repository made here from the course's notebooks (no
network). Time is bounded by a timeout on every wait (hub start, spawn, pull, each
notebook run, each click), not by a timed assert. Every process the hub starts (proxy,
single-user servers, kernels) is ended afterwards, by process group and then by pid,
also when the test fails.

Artifacts (test-artifacts/hub/): the learner's hand-in and the instructor's report as
screenshots, hub.log, and memory.json: the resident memory of one learner's single-user
server plus its kernel after running lesson 01 (the figure docs/deploy-jupyterhub.md
sizes a cluster from).
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import lab

REPO = lab.REPO_ROOT
ARTIFACTS = REPO / "test-artifacts" / "hub"
PROJECT_PROXY = REPO / ".hub-tools" / "node_modules" / ".bin" / "configurable-http-proxy"
LESSON = "01_causes"
LEARNERS = ("learner1", "learner2", "learner3")
INSTRUCTOR = "instructor"
INSTALL_HINT = (
    "install them with `pip install -e '.[test,hub]'` (make test does) and `make hub-tools` "
    "(npm install --prefix .hub-tools configurable-http-proxy; needs node and npm); .ci/run does both"
)


def _on_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _skip_or_fail(message: str) -> None:
    # On CI a missing component is a broken runner, never a reason to skip.
    if _on_ci():
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@dataclass
class HubTools:
    jupyterhub: str
    singleuser: str
    proxy: str
    chromium: str


def _require_hub_tools() -> HubTools:
    """Find jupyterhub, nbgitpuller, configurable-http-proxy and Chromium, or skip (fail on CI)."""
    bin_dir = Path(sys.executable).parent
    missing = []
    jupyterhub = shutil.which("jupyterhub", path=str(bin_dir)) or shutil.which("jupyterhub")
    singleuser = shutil.which("jupyterhub-singleuser", path=str(bin_dir)) or shutil.which("jupyterhub-singleuser")
    if not (jupyterhub and singleuser):
        missing.append("jupyterhub (pip, the 'hub' extra)")
    try:
        import nbgitpuller  # noqa: F401
    except ImportError:
        missing.append("nbgitpuller (pip, the 'hub' extra)")
    proxy = str(PROJECT_PROXY) if PROJECT_PROXY.exists() else shutil.which("configurable-http-proxy")
    if not proxy:
        missing.append("configurable-http-proxy (npm)")
    elif not shutil.which("node"):
        missing.append("node (runs configurable-http-proxy)")
    if not shutil.which("git"):
        missing.append("git (nbgitpuller clones the course)")
    if missing:
        _skip_or_fail(f"The JupyterHub test needs {', '.join(missing)}: {INSTALL_HINT}.")
    chromium = lab.chromium_path()
    if not (chromium and Path(chromium).exists()):
        _skip_or_fail(lab.chromium_missing_message())
    return HubTools(str(jupyterhub), str(singleuser), str(proxy), str(chromium))


# ---------------------------------------------------------------------------------------
# The course as a git repository, and the hub


def _git(*args: str, cwd: Path) -> None:
    subprocess.run(
        ["git", "-c", "user.name=Course Team", "-c", "user.email=course@example.invalid", *args],
        cwd=cwd, check=True, capture_output=True, timeout=60,
    )  # fmt: skip


def make_course_repo(tmp: Path) -> Path:
    """A bare git repository holding lesson 01 and a hand-in notebook; returns its path."""
    work = tmp / "course-work"
    work.mkdir()
    shutil.copy(REPO / "notebooks" / f"{LESSON}.ipynb", work)
    lab.write_notebook(work / "hand_in.ipynb", "import backlessons as bl", "bl.ProgressDashboard()")
    _git("init", "-q", "-b", "main", cwd=work)
    _git("add", ".", cwd=work)
    _git("commit", "-q", "-m", "Course notebooks", cwd=work)
    bare = tmp / "course.git"
    _git("clone", "-q", "--bare", str(work), str(bare), cwd=tmp)
    return bare


def merge_notebook(path: Path, class_dir: Path) -> None:
    """The instructor's notebook: merge the class folder, then write the report."""
    cli = "[sys.executable, '-m', 'backlessons', 'results'"
    lab.write_notebook(
        path,
        "import subprocess, sys",
        f"merge = subprocess.run({cli}, 'merge', {str(class_dir)!r}, '--out', 'class.csv', '--skip-bad'], "
        "capture_output=True, text=True)\nprint(merge.returncode, merge.stderr.strip())",
        f"report = subprocess.run({cli}, 'report', 'class.csv', '--out', 'report.html'], "
        "capture_output=True, text=True)\nprint(report.returncode, report.stderr.strip())",
    )


@dataclass
class Hub:
    url: str
    password: str
    homes: Path
    class_dir: Path
    log_path: Path
    proc: subprocess.Popen[bytes]

    def log_tail(self, lines: int = 60) -> str:
        with contextlib.suppress(OSError):
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        return ""


def _hub_config(tmp: Path, tools: HubTools, password: str, ports: dict[str, int], class_config: Path) -> str:
    settings = tmp / "lab-settings"
    settings.mkdir()
    (settings / "overrides.json").write_text(json.dumps(lab.LAB_OVERRIDES, indent=2))
    args = [
        f"--LabApp.app_settings_dir={settings}",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.handlers.announcements.NeverCheckForUpdate",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--allow-root")
    config = {
        "JupyterHub.ip": "127.0.0.1",
        "JupyterHub.port": ports["public"],
        "JupyterHub.hub_ip": "127.0.0.1",
        "JupyterHub.hub_port": ports["hub"],
        "JupyterHub.db_url": f"sqlite:///{tmp / 'jupyterhub.sqlite'}",
        "JupyterHub.cookie_secret_file": str(tmp / "jupyterhub_cookie_secret"),
        "JupyterHub.pid_file": str(tmp / "jupyterhub.pid"),
        "JupyterHub.cleanup_servers": True,
        "JupyterHub.authenticator_class": "dummy",
        "JupyterHub.spawner_class": "simple",
        "JupyterHub.active_server_limit": 0,
        "ConfigurableHTTPProxy.api_url": f"http://127.0.0.1:{ports['proxy_api']}",
        "ConfigurableHTTPProxy.command": [tools.proxy],
        "ConfigurableHTTPProxy.pid_file": str(tmp / "proxy.pid"),
        "DummyAuthenticator.password": password,
        "Authenticator.allow_all": True,
        "Authenticator.admin_users": [INSTRUCTOR],
        "SimpleLocalProcessSpawner.home_dir_template": str(tmp / "homes" / "{username}"),
        "Spawner.cmd": [tools.singleuser],
        "Spawner.args": args,
        "Spawner.ip": "127.0.0.1",
        "Spawner.default_url": "/lab",
        "Spawner.start_timeout": 180,
        "Spawner.http_timeout": 180,
        # The class folder comes from the config file a hub image ships (classroom.CONFIG_ENV).
        "Spawner.environment": {"BACKLESSONS_CONFIG": str(class_config), "PYDEVD_DISABLE_FILE_VALIDATION": "1"},
    }
    lines = ["c = get_config()  # noqa"]
    for key, value in config.items():
        lines.append(f"c.{key} = {value!r}")
    return "\n".join(lines) + "\n"


def _free_ports(n: int) -> list[int]:
    import socket

    sockets, ports = [], []
    for _ in range(n):  # held open together, so the ports differ
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        sockets.append(s)
        ports.append(s.getsockname()[1])
    for s in sockets:
        s.close()
    return ports


@contextlib.contextmanager
def run_hub(tmp: Path, tools: HubTools, *, startup_timeout: float = 90.0) -> Iterator[Hub]:
    """Start jupyterhub; on exit stop it and every process it started (by group, then by pid)."""
    homes, class_dir = tmp / "homes", tmp / "class"
    homes.mkdir()
    class_dir.mkdir()
    class_config = tmp / "backlessons-config.toml"
    class_config.write_text(f'[class]\nfolder = "{class_dir}"\n', encoding="utf-8")
    public, hub_port, proxy_api = _free_ports(3)
    password = secrets.token_urlsafe(12)
    config = tmp / "jupyterhub_config.py"
    config.write_text(_hub_config(tmp, tools, password, {"public": public, "hub": hub_port, "proxy_api": proxy_api}, class_config))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "BACKLESSONS_"))}
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    log_path = tmp / "hub.log"
    log = log_path.open("wb")
    proc = subprocess.Popen(
        [tools.jupyterhub, "-f", str(config)], cwd=tmp, env=env, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip
    hub = Hub(f"http://127.0.0.1:{public}", password, homes, class_dir, log_path, proc)
    seen: set[int] = set()
    try:
        _wait_hub(hub, startup_timeout)
        yield hub
    finally:
        seen = lab._descendants(proc.pid)
        lab._stop(proc, seen | lab._descendants(proc.pid))
        log.close()
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        shutil.copy(log_path, ARTIFACTS / "hub.log")
    leftovers = sorted(pid for pid in seen | {proc.pid} if lab._alive(pid))
    if leftovers:
        raise RuntimeError(f"jupyterhub left processes running: {leftovers}")


def _wait_hub(hub: Hub, timeout: float) -> None:
    deadline, last = time.monotonic() + timeout, ""
    while time.monotonic() < deadline:
        if hub.proc.poll() is not None:
            raise RuntimeError(f"jupyterhub exited with code {hub.proc.returncode}:\n{hub.log_tail()}")
        try:
            with urllib.request.urlopen(f"{hub.url}/hub/api/", timeout=5) as resp:
                if json.loads(resp.read()).get("version"):
                    return
        except (urllib.error.URLError, OSError, ValueError) as err:
            last = str(err)
        time.sleep(0.3)
    raise RuntimeError(f"jupyterhub did not answer within {timeout:.0f} s ({last}):\n{hub.log_tail()}")


# ---------------------------------------------------------------------------------------
# In the browser


def log_in(page: Any, hub: Hub, user: str) -> None:
    """Log in on the hub's form; the hub starts the user's server and opens JupyterLab."""
    page.goto(f"{hub.url}/hub/login", wait_until="domcontentloaded")
    page.fill("#username_input", user)
    page.fill("#password_input", hub.password)
    page.click("#login_submit")
    page.wait_for_url(f"**/user/{user}/lab**", timeout=240_000)


def pull_link(hub: Hub, repo: Path, notebook: str) -> str:
    """The nbgitpuller link an instructor hands out, pointing at the local bare repository."""
    query = urllib.parse.urlencode(
        {"repo": repo.as_uri(), "branch": "main", "targetpath": "course", "urlpath": f"lab/tree/course/{notebook}"}
    )
    return f"{hub.url}/hub/user-redirect/git-pull?{query}"


def _sessions(page: Any, hub: Hub, user: str) -> list[dict[str, Any]]:
    response = page.request.get(f"{hub.url}/user/{user}/api/sessions")
    return response.json() if response.ok else []


def wait_notebook(page: Any, hub: Hub, user: str, path: str, timeout: float = 120.0) -> None:
    """Wait until the notebook is shown and its kernel is connected and idle."""
    page.locator(".jp-NotebookPanel .jp-Cell").first.wait_for(timeout=timeout * 1000)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = page.evaluate(
            "() => document.querySelector('.jp-NotebookPanel .jp-Notebook-ExecutionIndicator')"
            "?.getAttribute('data-status')"
        )
        for session in _sessions(page, hub, user) if status == "idle" else []:
            kernel = session.get("kernel") or {}
            if session.get("path") == path and kernel.get("execution_state") == "idle" and kernel.get("connections", 0) >= 1:
                return
        time.sleep(0.3)
    raise TimeoutError(f"{user}: kernel for {path} not ready after {timeout:.0f} s")


def open_in_lab(page: Any, hub: Hub, user: str, path: str) -> None:
    """Open a notebook alone, in a fresh workspace (no earlier tabs restored)."""
    workspace = f"t{secrets.token_hex(6)}"
    page.goto(f"{hub.url}/user/{user}/lab/workspaces/{workspace}/tree/{path}", wait_until="domcontentloaded")
    wait_notebook(page, hub, user, path)


def run_notebook(page: Any, timeout: float = 360.0) -> None:
    lab.run_all(page)
    lab.wait_idle(page, timeout=timeout)
    assert lab.error_outputs(page) == []
    assert lab.widget_problems(page) == []


def answer_lesson(page: Any, learner_index: int) -> int:
    """Answer the lesson's first two single-choice questions (learner2 gets the second wrong)."""
    import quizpage as qp
    from backlessons.quiz import load_bank

    bank = load_bank(LESSON)
    quiz = page.locator(".bl-quiz").first
    singles = [(i, q) for i, q in enumerate(bank.questions) if q.type == "single"][:2]
    for n, (index, q) in enumerate(singles):
        right = qp.correct_response(q)
        wrong = next(i for i, o in enumerate(q.options) if not o.correct)
        response = wrong if (learner_index == 1 and n == 1) else right
        question = qp.questions(quiz).nth(index)
        question.scroll_into_view_if_needed()
        qp.answer(question, q, response)
        qp.check(question)
    return len(singles)


def hand_in_in_browser(page: Any) -> str:
    from playwright.sync_api import expect

    page.locator(".bl-dashboard .bl-hand-in").click()
    status = page.locator(".bl-dashboard .bl-hand-in-status")
    expect(status).to_contain_text("Handed in", timeout=30_000)
    return status.inner_text()


# ---------------------------------------------------------------------------------------
# Memory


def _mib(n: int) -> float:
    return round(n / (1024 * 1024), 1)


def server_memory(hub: Hub, user: str) -> dict[str, Any]:
    """RSS and PSS (MiB) of the user's single-user server and every process under it (its kernels),
    each process on its own and summed; and the hub and proxy, for the fixed part of a cluster."""
    import psutil

    hub_process = psutil.Process(hub.proc.pid)
    servers, proxies = [], []
    for child in hub_process.children(recursive=True):
        with contextlib.suppress(psutil.Error):
            command = " ".join(child.cmdline())
            if child.environ().get("JUPYTERHUB_USER") == user and "jupyterhub-singleuser" in command:
                servers.append(child)
            elif "configurable-http-proxy" in command:
                proxies.append(child)
    assert len(servers) == 1, f"expected one single-user server for {user}, found {servers}"
    server = servers[0]
    processes = []
    for proc in [server, *server.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):
            info = proc.memory_full_info()
            role = "server" if proc.pid == server.pid else "kernel" if "ipykernel" in " ".join(proc.cmdline()) else "other"
            processes.append({"role": role, "rss_mib": _mib(info.rss), "pss_mib": _mib(getattr(info, "pss", info.rss))})
    return {
        "user": user,
        "processes": processes,
        "kernels": sum(1 for p in processes if p["role"] == "kernel"),
        "rss_mib": round(sum(p["rss_mib"] for p in processes), 1),
        "pss_mib": round(sum(p["pss_mib"] for p in processes), 1),
        "hub_rss_mib": _mib(hub_process.memory_info().rss),
        "proxy_rss_mib": round(sum(_mib(p.memory_info().rss) for p in proxies), 1),
    }


# ---------------------------------------------------------------------------------------


def test_class_hands_in_on_a_real_hub(tmp_path: Path) -> None:
    """Do three learners, pulled in by an nbgitpuller link, run a lesson, answer and hand in
    through the browser, and does the instructor's merge and report show all three?"""
    tools = _require_hub_tools()
    from playwright.sync_api import expect

    started = time.monotonic()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    repo = make_course_repo(tmp_path)
    expect.set_options(timeout=30_000)
    with run_hub(tmp_path, tools) as hub:
        browser = lab.shared_browser()  # the session's one Chromium (Playwright allows one per thread)
        memory: dict[str, Any] = {}
        for n, user in enumerate(LEARNERS):
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            context.set_default_timeout(60_000)
            page = context.new_page()
            try:
                log_in(page, hub, user)
                page.goto(pull_link(hub, repo, f"{LESSON}.ipynb"), wait_until="domcontentloaded")
                page.wait_for_url(f"**/user/{user}/lab/tree/course/{LESSON}.ipynb**", timeout=180_000)
                assert (hub.homes / user / "course" / f"{LESSON}.ipynb").is_file()  # pulled from git
                wait_notebook(page, hub, user, f"course/{LESSON}.ipynb")
                run_notebook(page)
                answered = answer_lesson(page, n)
                if n == 0:
                    memory = server_memory(hub, user)
                open_in_lab(page, hub, user, "course/hand_in.ipynb")
                run_notebook(page)
                message = hand_in_in_browser(page)
                assert f"Handed in {answered} answer(s) as {user}" in message
                if n == 0:
                    page.locator(".bl-dashboard").screenshot(path=str(ARTIFACTS / "learner-hand-in.png"))
            except Exception:
                with contextlib.suppress(Exception):
                    page.screenshot(path=str(ARTIFACTS / f"failure-{user}.png"))
                raise
            finally:
                context.close()
            rows = list(csv.DictReader((hub.class_dir / f"{user}.csv").open(encoding="utf-8")))
            assert {r["learner"] for r in rows} == {user} and len(rows) == answered

        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.set_default_timeout(60_000)
        page = context.new_page()
        try:
            instructor_home = hub.homes / INSTRUCTOR
            instructor_home.mkdir(parents=True, exist_ok=True)
            merge_notebook(instructor_home / "merge.ipynb", hub.class_dir)
            # What a crashed hand-in and a stray file leave behind must not reach the merge.
            (hub.class_dir / ".learner9.csv.k3j2.tmp").write_text("format,learner,les", encoding="utf-8")
            (hub.class_dir / "notes.txt").write_text("not results\n", encoding="utf-8")
            log_in(page, hub, INSTRUCTOR)
            open_in_lab(page, hub, INSTRUCTOR, "merge.ipynb")
            run_notebook(page)
            outputs = " ".join(page.locator(".jp-OutputArea-output").all_inner_texts())
            assert "Merged 6 answer(s)" in outputs, outputs
            # Each leftover is named as skipped; nothing is dropped silently.
            assert ".learner9.csv.k3j2.tmp" in outputs and "notes.txt" in outputs, outputs
            page.goto(f"{hub.url}/user/{INSTRUCTOR}/files/report.html", wait_until="load")
            report_text = page.locator("body").inner_text()
            page.screenshot(path=str(ARTIFACTS / "instructor-report.png"), full_page=True)
        finally:
            context.close()
        merged = list(csv.DictReader((instructor_home / "class.csv").open(encoding="utf-8")))
        assert {r["learner"] for r in merged} == set(LEARNERS)
        wrong = [r for r in merged if r["correct"] in ("False", "false")]
        assert [r["learner"] for r in wrong] == ["learner2"]
        # The report counts learners (it names none: names stay in the merged file).
        assert re.search(rf"\b{len(LEARNERS)} learner", report_text), report_text[:500]
    seconds = round(time.monotonic() - started, 1)
    memory["test_seconds"] = seconds
    (ARTIFACTS / "memory.json").write_text(json.dumps(memory, indent=2) + "\n", encoding="utf-8")
    print(f"\nhub test: {seconds} s; {memory['user']}'s server + kernel after lesson {LESSON}: "
          f"RSS {memory['rss_mib']} MiB, PSS {memory['pss_mib']} MiB")
