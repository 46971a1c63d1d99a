"""Tests for backlessons.instructor.workshop: the helpers of the workshop guide notebook."""

from __future__ import annotations

import pytest


def test_workshop_links_follow_the_documented_formats():
    """Do the nbgitpuller and Binder links have the documented shape, with the repo URL encoded?"""
    from backlessons.instructor.workshop import binder_link, nbgitpuller_link

    link = nbgitpuller_link("https://hub.example.edu/", "https://github.com/our-uni/backlessons.git")
    assert link == ("https://hub.example.edu/hub/user-redirect/git-pull?"
                    "repo=https%3A%2F%2Fgithub.com%2Four-uni%2Fbacklessons.git&branch=main"
                    "&urlpath=lab/tree/backlessons/notebooks/00_start_here.ipynb")
    assert binder_link("https://github.com/our-uni/backlessons") == (
        "https://mybinder.org/v2/gh/our-uni/backlessons/main?urlpath=lab/tree/notebooks/00_start_here.ipynb")
    with pytest.raises(ValueError, match="github.com"):
        binder_link("https://gitlab.com/our-uni/backlessons")


def test_learning_outcomes_list_every_lesson_and_objective():
    """Does the outcomes table list every lesson of lessons.csv with each of its objectives, escaped?"""
    from backlessons import content
    from backlessons.instructor.workshop import learning_outcomes

    shown = learning_outcomes()
    for _, row in content.lessons().iterrows():
        assert f"{row['id']}.ipynb" in shown.plain
        for objective in row["objectives"]:
            assert objective in shown.plain
    assert "<script" not in shown.html
