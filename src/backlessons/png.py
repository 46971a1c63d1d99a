"""The one way the package turns a matplotlib Figure into PNG bytes.

Figures, the progress dashboard's chart and the instructor's report plots all save
through here, so every PNG is made the same way: no "Software" stamp or date in the
metadata, so the same data give the same bytes. matplotlib is never imported here;
the caller's Figure does the drawing (so the base layer stays free of drawing libraries).
"""

from __future__ import annotations

import base64
import io
from typing import Any

__all__ = ["png_bytes", "png_base64"]


def png_bytes(fig: Any) -> bytes:
    """A matplotlib Figure as PNG bytes, without metadata that changes from run to run."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def png_base64(fig: Any) -> str:
    """The figure as base64 PNG text, for a ``data:image/png;base64,`` URL."""
    return base64.b64encode(png_bytes(fig)).decode("ascii")
