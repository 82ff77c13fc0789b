"""Where result objects find their renderers, without importing the rendering layer.

Result classes are plain data; ``print(req)``, ``req.clause()`` and Jupyter's display call
renderers that :mod:`facility_sizing.render` registers here when the package is imported
(importing any part of the package imports it first).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["register_renderer", "render"]

_RENDERERS: dict[str, Callable[..., Any]] = {}


def register_renderer(name: str, function: Callable[..., Any]) -> None:
    """Make ``function`` the renderer called ``name`` (e.g. ``requirement.text``)."""
    _RENDERERS[name] = function


def render(name: str, obj: object, *args: Any, **kwargs: Any) -> Any:
    """Run the renderer ``name`` on ``obj``.

    Raises
    ------
    LookupError
        If no renderer of that name is registered (the rendering layer was not imported).
    """
    try:
        function = _RENDERERS[name]
    except KeyError:
        raise LookupError(f"no renderer {name!r}: import facility_sizing to register the renderers") from None
    return function(obj, *args, **kwargs)
