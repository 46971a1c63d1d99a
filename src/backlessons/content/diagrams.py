"""Exercise diagrams: SVG files checked to be safe to inline in a page."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from backlessons.content.engine import Traversable, read_text
from backlessons.errors import ContentError, Problem

def check_diagram(root: Traversable, filename: str) -> list[Problem]:
    """A diagram must be well-formed SVG with a <title>, no script and no external links."""
    path = f"diagrams/{filename}"
    try:
        text = read_text(root, path)
    except ContentError as err:
        return list(err.problems)
    try:
        tree = ET.fromstring(text)
    except ET.ParseError as exc:
        return [Problem(path, "", "", f"is not well-formed SVG ({exc})", line=exc.position[0])]
    problems = []
    svg_ns = "{http://www.w3.org/2000/svg}"
    if tree.tag != f"{svg_ns}svg":
        problems.append(Problem(path, "", "", "root element is not <svg> in the SVG namespace"))
    if tree.find(f"{svg_ns}title") is None:
        problems.append(Problem(path, "", "title", "has no <title> element (needed by screen readers)"))
    for element in tree.iter():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag in ("script", "foreignObject"):
            problems.append(Problem(path, "", tag, f"<{tag}> is not allowed"))
        for attr, value in element.attrib.items():
            local = attr.rsplit("}", 1)[-1]
            if local.startswith("on"):
                problems.append(Problem(path, "", local, "event-handler attributes are not allowed"))
            if local == "href" and not value.startswith("#"):
                problems.append(Problem(path, "", local, f"external reference '{value}' is not allowed"))
    return problems
