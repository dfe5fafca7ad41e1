"""Prints benchmark figures next to their goals, one table per benchmark."""

from __future__ import annotations

from collections.abc import Mapping


def _meets(value: float, goal: tuple[str, float]) -> bool:
    op, target = goal
    return value <= target if op == "<=" else value >= target


def print_figures(title: str, figures: Mapping[str, object],
                  goals: Mapping[str, tuple[str, float]] | None = None) -> None:
    """One line per figure: name, value, and the goal with whether it is met."""
    goals = goals or {}
    print(f"\n{title}")
    print("-" * len(title))
    for name, value in figures.items():
        if isinstance(value, bool) or not isinstance(value, int | float):
            shown = str(value)  # a yes/no or a note, e.g. how durable the writes were
        else:
            shown = f"{value:,.3f}" if isinstance(value, float) else f"{value:,}"
        line = f"  {name:<40} {shown:>14}"
        if name in goals:
            op, target = goals[name]
            verdict = "met" if _meets(value, goals[name]) else "NOT met"
            line += f"   goal {op} {target:g}: {verdict}"
        print(line, flush=True)
