"""Charts as data: what a page hands its script, and the same figures as a table.

A page never runs inline script (its Content-Security-Policy forbids it). It writes each
chart's data as JSON in a ``<script type="application/json">`` element, which browsers do
not run, and ``charts.js`` (an asset of ours) draws it with the pinned Chart.js. The table
under each chart holds the same figures, formatted for the language, for screen readers,
for printing, and for the reader who wants the numbers.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from kota_shared.i18n import Message
from kota_shared.i18n.catalogue import render
from monitoring.pages.formats import Axis, Formats

Tone = Literal["blue", "teal", "green", "amber", "red", "violet", "grey"]


@dataclass(frozen=True)
class Series:
    label: Message
    values: Sequence[float | str | None]
    """A number; None where there is none; text (a suppressed cell's ``<5``) is written in
    the table as it is, and left out of the chart."""
    axis: Axis = "count"
    line: bool = False
    """Drawn as a line over the bars (a share over counts has its own axis, on the right)."""
    tone: Tone = "blue"


@dataclass(frozen=True)
class Chart:
    key: str
    """Unique on its page: the id of the data element."""
    title: Message
    labels: Sequence[str | Message | date]
    """What each bar or point is: a text, a message, or a day (a month's first day, with
    ``monthly``), written in the page's language."""
    series: Sequence[Series]
    stacked: bool = False
    horizontal: bool = False
    note: Message | None = None
    monthly: bool = False

    @property
    def empty(self) -> bool:
        return not self.labels

    def spec(self, formats: Formats) -> dict[str, Any]:
        """The JSON ``charts.js`` draws from."""
        return {
            "labels": self.written_labels(formats),
            "stacked": self.stacked,
            "horizontal": self.horizontal,
            "locale": formats.locale.replace("_", "-"),
            "series": [
                {
                    "label": series.label.render(formats.language),
                    "values": [_plotted(value) for value in series.values],
                    "axis": series.axis,
                    "line": series.line,
                    "tone": series.tone,
                }
                for series in self.series
            ],
        }

    def written_labels(self, formats: Formats) -> list[str]:
        def write(label: str | Message | date) -> str:
            if isinstance(label, date):
                return formats.month(label) if self.monthly else formats.day(label)
            return render(label, formats.language)

        return [write(label) for label in self.labels]

    def rows(self, formats: Formats) -> list[list[str]]:
        """The figures as table rows, one per label, formatted for the page's language."""
        return [
            [label, *(formats.figure(series.values[index], series.axis) for series in self.series)]
            for index, label in enumerate(self.written_labels(formats))
        ]


def _plotted(value: float | str | None) -> float | None:
    return None if isinstance(value, str) else value
