"""ProgressDashboard over a temporary store."""

from __future__ import annotations

from backlessons.widgets.dashboard import EMPTY_MESSAGE, ProgressDashboard


def test_empty_store_is_friendly(store):
    """Does an empty store show the 'No answers yet' message and no chart?"""
    board = ProgressDashboard(store)
    assert EMPTY_MESSAGE in board.table.value
    assert board.chart.value == b"" and board.chart.layout.display == "none" and board.chart.alt == ""
    assert board._repr_mimebundle_()["text/plain"] == f"Progress dashboard: {EMPTY_MESSAGE}"


def test_dashboard_reflects_events_after_refresh(store):
    """After answers are recorded and Refresh pressed, are the table, chart and review list right?"""
    board = ProgressDashboard(store)
    store.record("01_causes", "q1", "single", 1, "B", False, 0.0, 1)
    store.record("01_causes", "q1", "single", 0, "A", True, 1.0, 2)
    store.record("01_causes", "q2", "multiple", [0], "A", False, 0.5, 1)
    store.record("04_prevention", "p1", "true_false", True, "True", True, 1.0, 1)
    assert EMPTY_MESSAGE in board.table.value  # nothing changes until Refresh
    board.refresh_button.click()
    assert board._repr_mimebundle_()["text/plain"] == (
        "Progress dashboard\n"
        "01_causes: 2 answered, 3 attempts, mean best score 0.75\n"
        "04_prevention: 1 answered, 1 attempts, mean best score 1.00"
    )
    assert "<td>2</td><td>3</td><td>0.75</td>" in board.table.value
    assert bytes(board.chart.value).startswith(b"\x89PNG") and board.chart.layout.display == ""
    # The chart carries its numbers in words, as its text alternative.
    assert board.chart.alt.startswith("Bar chart of the mean best score per lesson")
    assert "01_causes 0.75; 04_prevention 1.00." in board.chart.alt
    assert "What to review next" in board.review.value and "q2" in board.review.value
    assert "q1" not in board.review.value  # answered fully right in the end
    assert "bl-dashboard" in board._dom_classes


def test_refresh_error_is_shown(store):
    """Is a failing store shown as a message on Refresh rather than lost?"""
    board = ProgressDashboard(store)

    def broken():
        raise RuntimeError("database is locked")

    store.lesson_summaries = broken  # type: ignore[method-assign]
    board.refresh_button.click()
    assert "database is locked" in board.message.value


def test_hand_in_button_writes_to_the_class_folder(store, tmp_path, monkeypatch):
    """Does "Hand in my answers" write the learner's file and say so in a status message?"""
    folder = tmp_path / "class"
    folder.mkdir()
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    monkeypatch.setenv("BACKLESSONS_CLASS_DIR", str(folder))
    store.record("01_causes", "q1", "single", 0, "A", True, 1.0, 1)
    board = ProgressDashboard(store)
    panel = board.hand_in
    assert panel in board.children and panel.button.description == "Hand in my answers"
    panel.button.click()
    assert "Type your name" in panel.status.value and 'role="status"' in panel.status.value
    assert list(folder.iterdir()) == []
    panel.name.value = "<b>Ann</b>"
    panel.button.click()
    assert "Handed in 1 answer(s) as &lt;b&gt;Ann&lt;/b&gt;" in panel.status.value  # escaped
    assert len(list(folder.glob("*.csv"))) == 1 and not panel.button.disabled


def test_hand_in_on_a_hub_uses_the_login_name(store, tmp_path, monkeypatch):
    """On a JupyterHub, is the name box hidden and the hub login name used; a missing folder explained?"""
    monkeypatch.setenv("JUPYTERHUB_USER", "learner7")
    monkeypatch.setenv("BACKLESSONS_CLASS_DIR", str(tmp_path / "missing"))
    store.record("01_causes", "q1", "single", 0, "A", True, 1.0, 1)
    panel = ProgressDashboard(store).hand_in
    assert panel.name.layout.display == "none"
    panel.button.click()
    assert "does not exist" in panel.status.value and "nothing was lost" in panel.status.value
    (tmp_path / "missing").mkdir()
    panel.button.click()
    assert (tmp_path / "missing" / "learner7.csv").is_file()
