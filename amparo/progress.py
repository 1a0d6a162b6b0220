"""A progress bar for long command-line runs (backup, restore, derive, verify --all): one line on a terminal's
stderr, redrawn at most five times a second; nothing at all when stderr is not a terminal (cron, pipes, logs), where
the command's own summary says what was done. Plain Python: no Django, no dependency."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """``what: [#####     ] done/total  pct%  elapsed, ~left`` on one line of stderr while on a terminal."""

    def __init__(self, what: str, total: int, stream: TextIO | None = None) -> None:
        self.what, self.total, self.done = what, total, 0
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self._started = time.monotonic()
        self._last_time = 0.0

    def step(self, n: int = 1) -> None:
        self.done += n
        now = time.monotonic()
        if self.tty and (now - self._last_time > 0.2 or self.done >= self.total):
            self._last_time = now
            self.stream.write("\r" + self.line(now) + "\x1b[K")  # erase what a longer line left
            self.stream.flush()

    def line(self, now: float | None = None) -> str:
        elapsed = (now or time.monotonic()) - self._started
        share = min(1.0, self.done / self.total) if self.total else 1.0
        bar = "#" * int(share * 20)
        text = (
            f"{self.what}: [{bar:<20}] {self.done}/{self.total} {int(share * 100):3d}% {_duration(elapsed)}"
        )
        if 0 < self.done < self.total:
            text += f", ~{_duration(elapsed / self.done * (self.total - self.done))} left"
        return text

    def close(self) -> None:
        if self.tty:
            self.stream.write(
                f"\r{self.what}: {self.done}/{self.total}, done in {_duration(time.monotonic() - self._started)}\x1b[K\n"
            )
            self.stream.flush()


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
