"""The course website (``make site``): built from the committed notebooks, answer-free, and
readable in a browser, on a phone and with assistive technology.

The site is built once per session into a temporary folder and served on 127.0.0.1.
"""

from __future__ import annotations

import functools
import http.server
import re
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urldefrag, urlparse

import pytest

import lab
from backlessons import cli, content
from backlessons.quiz import load_bank, shipped_banks
from backlessons.site import DISCLAIMER, INSTRUCTOR_NOTEBOOKS, SiteLinks
from tests.leakcheck import answer_texts, leaked, visible_text

REPO = lab.REPO_ROOT
LINKS = SiteLinks("https://github.com/example/backlessons", "main")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PHONE_WIDTH = 390


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The website, built by the command ``make site`` runs (Sphinx warnings are errors)."""
    out = tmp_path_factory.mktemp("site") / "html"
    status = cli.main(["site", "--course", str(REPO), "--out", str(out),
                       "--repo-url", LINKS.repository, "--branch", LINKS.branch])
    assert status == 0 and (out / "index.html").is_file()
    return out


@pytest.fixture(scope="session")
def site_url(site: Path) -> Iterator[str]:
    """The built site served over HTTP on 127.0.0.1, stopped after the session."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def pages(site: Path) -> list[str]:
    """Every HTML page of the site, as paths relative to its root."""
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html") if not {"_sources", "_static"} & set(p.parts))


def lesson_pages(site: Path) -> list[str]:
    return [f"lessons/{lesson_id}.html" for lesson_id in content.lessons()["id"]]


# --- what the build contains (no browser needed) -----------------------------------------


def test_every_lesson_and_instructor_notebook_has_a_page_in_course_order(site: Path) -> None:
    """Does the table of contents follow data/lessons.csv and include the instructors' notebooks?"""
    index = (site / "index.html").read_text(encoding="utf-8")
    positions = [index.find(f'href="lessons/{lesson_id}.html"') for lesson_id in content.lessons().sort_values("number")["id"]]
    assert -1 not in positions, positions
    assert positions == sorted(positions)
    for name in INSTRUCTOR_NOTEBOOKS:
        assert (site / "instructor" / f"{name}.html").is_file()
    assert (site / "instructors.html").is_file()


def test_every_page_carries_the_education_not_advice_note(site: Path) -> None:
    """Is the 'education, not medical advice' note on every page?"""
    missing = [page for page in pages(site)
               if DISCLAIMER not in visible_text((site / page).read_text(encoding="utf-8")).replace("\n", " ")]
    assert not missing


def test_no_answer_key_text_anywhere_in_the_site(site: Path) -> None:
    """Does no explanation or feedback text of any shipped bank appear in any page, source copy or the search
    index, and no right/wrong mark in any page?"""
    markup = {page: (site / page).read_text(encoding="utf-8") for page in pages(site)}
    text = {page: visible_text(html) for page, html in markup.items()}
    # What the site serves besides its pages: the notebooks' source copies and the search index.
    served = [*sorted((site / "_sources").rglob("*.*")), site / "searchindex.js"]
    assert any(path.name.endswith(".ipynb") for path in served)
    text.update({path.relative_to(site).as_posix(): path.read_text(encoding="utf-8").replace("\\n", " ")
                 for path in served})
    banks = [load_bank(str(path)) for path in shipped_banks()]
    assert {bank.lesson for bank in banks} >= set(content.lessons()["id"])
    found = []
    for bank in banks:
        for question in bank.questions:
            for answer in answer_texts(question):
                found += [f"{page}: {bank.lesson} {question.id}: {answer[:60]!r}" for page, shown in text.items()
                          if leaked(answer, shown)]
    # A static quiz never says which option is right (the widgets' marks appear only after Check).
    marks = re.compile(r'bl-(?:in)?correct|bl-partial|data-mark="|✓ Correct|✗ Incorrect')
    found += [f"{page}: a right/wrong mark" for page, html in markup.items() if marks.search(html)]
    assert not found


def test_the_leak_scan_would_find_a_planted_explanation(site: Path, tmp_path: Path) -> None:
    """Would the scan notice an explanation if one reached a page?"""
    question = load_bank("01_causes").questions[0]
    explanation = max(answer_texts(question), key=len)
    page = (site / "lessons" / "01_causes.html").read_text(encoding="utf-8")
    planted = page.replace("</main>", f"<p>{explanation}</p></main>")
    assert leaked(explanation, visible_text(planted))
    assert not leaked(explanation, visible_text(page))


def test_each_quiz_says_how_to_answer_it_interactively(site: Path) -> None:
    """Does every quiz show its questions, followed by a Binder link to the lesson's notebook?"""
    for page in lesson_pages(site):
        html = (site / page).read_text(encoding="utf-8")
        quizzes = len(re.findall(r'class="bl-quiz[ "]', html))
        if not quizzes:
            continue
        lesson_id = Path(page).stem
        binder = LINKS.binder(f"notebooks/{lesson_id}.ipynb").replace("&", "&amp;")
        assert html.count("Answer these questions interactively") == quizzes, page
        assert binder in html, page
        assert "bl-question" in html and "bl-explanation" not in html, page


def test_each_lesson_page_lists_its_references(site: Path) -> None:
    """Does every lesson page end with its reference list?"""
    missing = [page for page in lesson_pages(site) if "bl-references" not in (site / page).read_text(encoding="utf-8")]
    assert not missing


def test_exercise_cards_and_figures_show_on_their_lesson_pages(site: Path) -> None:
    """Does each lesson page show every exercise card of its notebook (title, diagram with a text alternative,
    steps, dose and its caveat) and every figure's first frame with a text alternative?"""
    from backlessons.widgets.exercise_card import DOSE_CAVEAT

    cards = figures = 0
    for page in lesson_pages(site):
        notebook = (REPO / "notebooks" / f"{Path(page).stem}.ipynb").read_text(encoding="utf-8")
        html = (site / page).read_text(encoding="utf-8")
        shown = visible_text(html)
        for name in dict.fromkeys(re.findall(r'bl\.ExerciseCard\(\\?"(\w+)\\?"\)', notebook)):
            exercise = content.exercise(name)
            assert f'<img class="bl-diagram" alt="Diagram: {exercise.title}"' in html, (page, name)
            assert exercise.title in shown and exercise.steps[0].split()[0] in shown, (page, name)
            assert 'class="bl-steps"' in html and 'class="bl-dose"' in html and DOSE_CAVEAT in shown, (page, name)
            assert exercise.dose.describe() in shown, (page, name)
            cards += 1
        calls = len(re.findall(r"bl\.figures\.\w+\(", notebook))
        frames = re.findall(r'<img class="bl-figure-image" alt="([^"]*)" src="data:image/png;base64,', html)
        assert len(frames) == calls and all(alt.startswith("Plot: ") for alt in frames), (page, calls, len(frames))
        figures += calls
    assert cards >= 6 and figures >= 8


def test_a_sphinx_warning_fails_the_build(tmp_path: Path) -> None:
    """Are Sphinx warnings errors (-W): does a lesson linking to a page that does not exist fail the build,
    naming the problem, and leave no website behind?"""
    import json
    import shutil

    from backlessons.site import build_site

    course = tmp_path / "course"
    for folder in ("notebooks", "data", "docs"):
        shutil.copytree(REPO / folder, course / folder, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    lesson = course / "notebooks" / "01_causes.ipynb"
    notebook = json.loads(lesson.read_text(encoding="utf-8"))
    notebook["cells"].append({"cell_type": "markdown", "id": "broken-link", "metadata": {},
                              "source": "See [a page that is not there](no_such_page.md)."})
    lesson.write_text(json.dumps(notebook), encoding="utf-8")
    out = tmp_path / "html"
    with pytest.raises(RuntimeError, match="no_such_page") as failure:
        build_site(course, out, LINKS)
    assert "the website build failed" in str(failure.value)
    assert not out.exists()


def test_binder_links_are_formed_from_a_github_address() -> None:
    """Is the Binder link built from owner, repository, branch and notebook path, and left out without one?"""
    assert SiteLinks("https://github.com/ann/course.git", "dev").binder("notebooks/01_causes.ipynb") == (
        "https://mybinder.org/v2/gh/ann/course/dev?urlpath=lab%2Ftree%2Fnotebooks%2F01_causes.ipynb"
    )
    assert SiteLinks("").binder("notebooks/01_causes.ipynb") == ""
    assert SiteLinks("https://example.org/x").binder("notebooks/01_causes.ipynb") == ""
    assert "Binder" not in SiteLinks("").interactive_note("notebooks/01_causes.ipynb")


# --- in the browser --------------------------------------------------------------------------


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"] or "")
        if tag == "a" and values.get("href"):
            self.hrefs.append(values["href"] or "")


def _parse(site: Path, page: str) -> _Links:
    parser = _Links()
    parser.feed((site / page).read_text(encoding="utf-8"))
    return parser


def test_no_broken_internal_links(site: Path) -> None:
    """Does every internal link lead to a page of the site, and every #anchor to an element on it?"""
    parsed = {page: _parse(site, page) for page in pages(site)}
    broken = []
    for page, links in parsed.items():
        for href in links.hrefs:
            if urlparse(href).scheme or href.startswith(("mailto:", "//")):
                continue
            target, anchor = urldefrag(urljoin(page, href))
            target = target or page
            path = site / target
            if path.is_dir():
                path, target = path / "index.html", f"{target.rstrip('/')}/index.html".lstrip("/")
            if not path.is_file():
                broken.append(f"{page}: {href}")
            elif anchor and target in parsed and anchor not in parsed[target].ids:
                broken.append(f"{page}: {href} (no #{anchor})")
    assert not broken


def test_pages_load_nothing_from_other_hosts(site: Path) -> None:
    """Does every page read offline: no script, stylesheet, image or frame fetched from another host?"""
    fetched = re.compile(r'<(?:script|img|iframe)\b[^>]*\bsrc="(?:https?:)?//|<link\b[^>]*\bhref="(?:https?:)?//', re.I)
    remote = [page for page in pages(site) if fetched.search((site / page).read_text(encoding="utf-8"))]
    assert not remote


@pytest.fixture
def site_page(browser, site_url):  # noqa: ANN001, ANN201 - Playwright types only under TYPE_CHECKING
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(f"console: {msg.text}") if msg.type == "error" else None)
    page.on("pageerror", lambda err: problems.append(f"page error: {err}"))
    page.on("requestfailed", lambda req: problems.append(f"failed: {req.url}"))
    page.on("response", lambda res: problems.append(f"HTTP {res.status}: {res.url}") if res.status >= 400 else None)
    try:
        yield page, problems
    finally:
        context.close()


def _open(page, url: str) -> None:  # noqa: ANN001
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")


def test_every_page_opens_without_errors_and_every_image_loads(site: Path, site_url: str, site_page) -> None:  # noqa: ANN001
    """Does every page load with no console error, no failed request, and every image shown with a text alternative?"""
    page, problems = site_page
    found = []
    for path in pages(site):
        problems.clear()
        _open(page, site_url + path)
        images = page.evaluate(
            "() => [...document.querySelectorAll('main img')].map(i => ({src: i.currentSrc || i.src,"
            " ok: i.complete && i.naturalWidth > 0, alt: (i.getAttribute('alt') || '').trim()}))"
        )
        found += [f"{path}: {p}" for p in problems]
        found += [f"{path}: image did not load: {i['src'][:80]}" for i in images if not i["ok"]]
        found += [f"{path}: image without a text alternative: {i['src'][:80]}" for i in images if not i["alt"]]
    assert not found


def test_every_page_fits_a_phone_without_sideways_scrolling(site: Path, site_url: str, browser) -> None:  # noqa: ANN001
    """At 390 px wide, is no page wider than the screen?"""
    context = browser.new_context(viewport={"width": PHONE_WIDTH, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    too_wide = []
    try:
        for path in pages(site):
            _open(page, site_url + path)
            width = page.evaluate("() => document.documentElement.scrollWidth")
            if width > PHONE_WIDTH + 1:
                too_wide.append(f"{path}: {width} px")
        _open(page, site_url + "lessons/01_causes.html")
        page.locator(".bl-quiz").first.scroll_into_view_if_needed()
        lab.ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(lab.ARTIFACTS / "site-phone-quiz.png"))
    finally:
        context.close()
    assert not too_wide


def test_page_content_passes_axe_wcag_a_and_aa(site: Path, site_url: str, site_page) -> None:  # noqa: ANN001
    """Does axe-core find no WCAG 2.0/2.1/2.2 A or AA violation in the content of any page?"""
    from axe_playwright_python.sync_playwright import Axe

    page, _problems = site_page
    axe = Axe()
    found = []
    for path in pages(site):
        _open(page, site_url + path)
        results = axe.run(page, context="main", options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        for violation in results.response["violations"]:
            targets = [", ".join(node["target"]) for node in violation["nodes"]][:3]
            found.append(f"{path}: {violation['id']} ({len(violation['nodes'])}): {targets}")
    assert not found


def test_safety_net_card_prints_cleanly(site: Path, site_url: str, site_page, tmp_path: Path) -> None:  # noqa: ANN001
    """Is the safety-net card a page lesson 08 links to, and does it print without the site's navigation?"""
    lesson = (site / "lessons" / "08_red_flags_and_clinical_reasoning.html").read_text(encoding="utf-8")
    assert 'href="../safety-net-card.html' in lesson
    page, problems = site_page
    _open(page, site_url + "safety-net-card.html")
    page.emulate_media(media="print")
    hidden = page.evaluate(
        "() => ['.bd-sidebar-primary', '.bd-header', '.bd-header-announcement'].map(s => document.querySelector(s))"
        ".filter(e => e).map(e => getComputedStyle(e).display)"
    )
    assert hidden and all(display == "none" for display in hidden)
    card = page.locator("main")
    assert card.get_by_text("Warning signs").first.is_visible() and card.get_by_text("What to do").first.is_visible()
    pdf = tmp_path / "safety-net-card.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    assert pdf.read_bytes().startswith(b"%PDF") and not problems
    lab.ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(lab.ARTIFACTS / "site-safety-net-card-print.png"), full_page=True)
