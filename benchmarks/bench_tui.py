"""How quick the TUI feels: start-up, key presses, section switches, big stores, memory.

Every figure is taken from a real process on a real pseudo-terminal (80×24),
as an officer's terminal would run it: the parent starts the app, writes key
strokes to the terminal, and times the bytes the app writes back. Each app
figure sits beside a minimal Textual app measured by the same harness in the
same run:

- start-up: from starting the process (`python -m assess`, as the `assess`
  command does) to the usable home screen on the terminal: its status line
  and its first row both drawn ("Hello" for a minimal app); target ≤ 1.2×
  minimal, with stores of 10 and 10,000; with `ASSESS_BENCH_BIG=50000,100000`
  (opt-in: those stores take minutes to generate and gigabytes of disk) also
  at those sizes, target ≤ 2.0×, and the peak memory of the largest, after
  its whole list is read, ≤ 150 MB. A large store's home screen shows its
  first page at once and reads the whole list just after (its status line
  says so meanwhile); these rows time the first page, as the officer sees it;
- key press to repaint on a question screen: Down / Up in the levels list,
  from writing the key to the last byte of the repaint (the terminal then
  stays quiet); baseline: the same keys in a minimal app's OptionList
  (six options, the same widget kind); target within 20 ms of it;
- switching section (] and [); target ≤ 100 ms;
- sorting and filtering 10,000 assessments on the home screen (S, and typing
  in the filter), key to repaint;
- peak memory (ru_maxrss of the app process, from `wait4` in the small
  launcher of `benchmarks.launch`, not a fork of this benchmark) with a
  10,000-assessment store, after scrolling to the end of the list; target
  ≤ 150 MB; the minimal app's beside it, measured the same way.

Why not Textual's Pilot: a headless app never renders to a terminal, and
Pilot's waits poll in 20 ms steps until the process looks idle, so what it
times is mostly its own sleeping (the last Pilot figures were 104.8 ms for
the app and 62.6 ms for a minimal OptionList, three to five of those steps).

Run: `python -m benchmarks.bench_tui` (add `--quick` for fewer samples).
"""

from __future__ import annotations

import fcntl
import math
import os
import random
import re
import select
import shutil
import signal
import struct
import sys
import tempfile
import termios
import time
from pathlib import Path

from benchmarks.common import Row, format_table, summarise
from benchmarks.launch import launcher_argv, read_peak_mb

REPO = Path(__file__).resolve().parents[1]
SIZE = (80, 24)
# After a key, the repaint is over once the terminal has been quiet this long.
QUIET_S = 0.15
KEYS = {"down": b"\x1b[B", "up": b"\x1b[A", "quit": b"\x11"}
QUESTION = "R-LEAD-OWNERSHIP"
START_RATIO = 1.2
BIG_START_RATIO = 2.0
PEAK_MB = 150.0
_ESCAPES = re.compile(
    rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>78]"
)


# ---------------------------------------------------------------------------
# The apps, as they run inside the pseudo-terminal


def _child(kind: str, store_path: str) -> None:
    """Run one app until it is told to quit (Ctrl+Q)."""
    from textual.app import App, ComposeResult
    from textual.binding import Binding
    from textual.widgets import OptionList, Static

    class Minimal(App[None]):
        BINDINGS = [Binding("ctrl+q", "quit")]  # noqa: RUF012

        def compose(self) -> ComposeResult:
            if kind == "minimal-keys":
                yield OptionList(*[f"Option {i}" for i in range(6)])
            else:
                yield Static("Hello")

    if kind.startswith("minimal"):
        Minimal().run()
        return

    from assess.store import Store
    from assess.tui import app as app_module
    from assess.tui.app import AssessApp

    store = Store.open(Path(store_path))
    here = Path(app_module.__file__).parent

    class Bench(AssessApp):
        # Textual finds CSS beside the class's own module: point it at the app's files.
        CSS_PATH = [str(here / path) for path in AssessApp.CSS_PATH]  # noqa: RUF012

        def on_mount(self) -> None:
            # Textual calls this before AssessApp.on_mount: open the question
            # over the home screen once both have run.
            if kind == "assess-question":
                self.call_later(self.open_question)

        def open_question(self) -> None:
            from assess.tui.screens.questionnaire import QuestionnaireScreen

            self.push_screen(QuestionnaireScreen(store.list()[0].id, QUESTION))

    Bench(store, cursor_blink=False, handle_signals=False, remember_theme=False).run()


# ---------------------------------------------------------------------------
# The parent: a pseudo-terminal, and the times its output arrives


class Terminal:
    """One app on a pseudo-terminal of SIZE; records when each chunk of output arrives."""

    def __init__(self, kind: str, store: Path, *, measured: bool = False) -> None:
        """`measured`: run the app under the small launcher, so `quit` gives its true peak."""
        # As installed: byte-code is cached (pip compiles it), colour is on.
        skip = ("NO_COLOR", "TEXTUAL", "PYTHONDONTWRITEBYTECODE")
        env = {k: v for k, v in os.environ.items() if k not in skip}
        env.update(TERM="xterm-256color", ASSESS_DB=str(store))
        if kind == "assess":  # the officer's own command
            argv = [sys.executable, "-m", "assess"]
        else:
            argv = [sys.executable, "-m", "benchmarks.bench_tui", "child", kind, str(store)]
        self.report: Path | None = None
        if measured:
            # Not a fork of this benchmark, whose own size a forked child's peak starts at.
            self.report = Path(tempfile.mkdtemp(prefix="assess-bench-peak-")) / "peak"
            argv = launcher_argv(argv, self.report)
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", SIZE[1], SIZE[0], 0, 0))
        self.started = time.perf_counter()
        pid = os.fork()
        if pid == 0:  # the child: its own session, with the terminal as its controlling tty
            try:
                os.close(master)
                os.setsid()
                fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
                for fd in (0, 1, 2):
                    os.dup2(slave, fd)
                os.chdir(REPO)
                os.execve(sys.executable, argv, env)
            finally:
                os._exit(127)
        os.close(slave)
        self.pid = pid
        self.fd = master
        self.raw = b""  # the latest output (escape sequences may span reads)

    def read(self, timeout: float) -> float | None:
        """Read what arrives within `timeout` s; the arrival time, or None if nothing came."""
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return None
        try:
            chunk = os.read(self.fd, 1 << 16)
        except OSError:  # the app has gone
            return None
        if not chunk:
            return None
        when = time.perf_counter()
        self.raw = (self.raw + chunk)[-60_000:]
        return when

    @property
    def text(self) -> bytes:
        """The latest output with the escape sequences removed."""
        return _ESCAPES.sub(b"", self.raw)

    def wait_for(self, *markers: str, timeout: float = 60) -> float:
        """Seconds from starting the process to every one of `markers` being on the terminal."""
        wanted = [marker.encode() for marker in markers]

        def shown() -> bool:
            text = self.text
            return all(w in text for w in wanted)

        deadline = time.perf_counter() + timeout
        while not shown():
            if time.perf_counter() > deadline:
                raise RuntimeError(f"{markers!r} never appeared")
            when = self.read(0.5)
            if when is not None and shown():
                return when - self.started
        return time.perf_counter() - self.started

    def settle(self) -> float | None:
        """Read until the terminal is quiet; when the last output arrived (None: nothing)."""
        last = None
        while (when := self.read(QUIET_S)) is not None:
            last = when
        return last

    def press(self, keys: bytes) -> float:
        """Milliseconds from writing `keys` to the end of the repaint (nan if nothing changed)."""
        self.settle()
        sent = time.perf_counter()
        os.write(self.fd, keys)
        last = self.settle()
        return math.nan if last is None else (last - sent) * 1000

    def quit(self) -> float:
        """Quit with Ctrl+Q; the peak memory of the process in MB."""
        self.settle()
        os.write(self.fd, KEYS["quit"])
        deadline = time.perf_counter() + 30
        while True:
            pid, status, usage = os.wait4(self.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                os.kill(self.pid, signal.SIGKILL)
                raise RuntimeError("the app did not quit")
            self.read(0.05)
        os.close(self.fd)
        if os.waitstatus_to_exitcode(status) != 0:
            raise RuntimeError(f"the app ended with status {status}")
        if self.report is not None:
            peak = read_peak_mb(self.report)
            shutil.rmtree(self.report.parent, ignore_errors=True)
            return peak
        return usage.ru_maxrss / 1024


def _starts(kind: str, store: Path, markers: tuple[str, ...], count: int) -> list[float]:
    times = []
    for i in range(count + 1):  # the first run, untimed, warms the caches
        term = Terminal(kind, store)
        took = term.wait_for(*markers) * 1000
        term.quit()
        if i:
            times.append(took)
    return times


def _presses(term: Terminal, keys: list[bytes]) -> list[float]:
    samples = [term.press(k) for k in keys]
    return [s for s in samples if not math.isnan(s)]


def _store(root: Path, count: int) -> Path:
    """A store of `count` assessments (fully answered but for the benchmark's question)."""
    from assess.store import Store
    from benchmarks.bench_store import build_store, full_answers

    if count > 20:
        build_store(root, count, random.Random(11))
        return root
    store = Store.open(root)
    bank = store.current_bank()
    rng = random.Random(7)
    for i in range(count):
        answers = full_answers(bank, rng)
        del answers[QUESTION]  # the levels list starts at the top, so Down always moves
        store.create(authority=f"Council {i:02d}", answers=answers)
    return root


def _home_markers(store: Path) -> tuple[str, ...]:
    """What the usable home screen shows: its status line and its first row."""
    from assess.store import Store

    # "10,000 assessments · sorted by ...", and the start of the newest one's
    # authority (all of it fits the column at 80 columns, but keep to a part).
    return ("assessments · ", Store.open(store).list()[0].authority[:12])


def _start_rows(
    stores: list[tuple[int, Path]], starts: int, minimal: Path, ratios: dict[int, float]
) -> list[Row]:
    """Start-up of the app on each store, interleaved with a minimal app's, in rounds.

    Round by round (one start of each in turn), so a noisy moment on the
    machine lands on every size alike; the first round, untimed, warms the
    caches (and lets a large store write its index's snapshot).
    """
    samples: dict[int, list[float]] = {count: [] for count, _ in stores}
    baseline: list[float] = []
    markers = {count: _home_markers(store) for count, store in stores}
    for n in range(starts + 1):
        term = Terminal("minimal-start", minimal)
        took = term.wait_for("Hello") * 1000
        term.quit()
        if n:
            baseline.append(took)
        for count, store in stores:
            term = Terminal("assess", store)
            took = term.wait_for(*markers[count]) * 1000
            term.quit()
            if n:
                samples[count].append(took)
    m_med, m_p95 = summarise(baseline)
    rows = []
    for count, _ in stores:
        a_med, a_p95 = summarise(samples[count])
        ratio = ratios[count]
        rows.append(
            Row(
                f"Start to usable home screen, {count:,} assessments",
                a_med,
                a_p95,
                target=f"≤ {ratio:g}× minimal Textual app",
                baseline=f"minimal app {m_med:.0f} ms (p95 {m_p95:.0f}); "
                f"ratio {a_med / m_med:.2f}×",
                met=a_med <= ratio * m_med,
            )
        )
    return rows


def _until_listed(term: Terminal, timeout: float = 120) -> None:
    """Until the home screen has the whole list (its status line no longer says it is reading)."""
    deadline = time.perf_counter() + timeout
    while True:
        # The latest status line drawn: its words after the count.
        text = term.text
        at = text.rfind("assessments · ".encode())
        if at >= 0 and b"reading the rest" not in text[at : at + 40]:
            return
        if time.perf_counter() > deadline:
            raise RuntimeError("the whole list was never read")
        term.read(0.5)


def _big_peak_row(store: Path, count: int, minimal_mb: float) -> Row:
    """The app's peak memory on a store of `count`, once its whole list is read."""
    term = Terminal("assess", store, measured=True)
    term.wait_for(*_home_markers(store))
    _until_listed(term)
    term.press(b"\x1b[F")  # End: the last row drawn too
    peak = term.quit()
    return Row(
        f"Peak memory (ru_maxrss), home screen, {count:,} assessments",
        peak,
        peak,
        unit="MB",
        target=f"≤ {PEAK_MB:g} MB",
        baseline=f"minimal app {minimal_mb:.0f} MB",
        met=peak <= PEAK_MB,
        note="one run",
    )


def run(quick: bool) -> list[Row]:
    # Here, not at the top: the minimal app runs from this module, and must not
    # import the store (bench_store imports it) before it says Hello.
    from benchmarks.bench_store import big_sizes

    starts = 5 if quick else 12
    presses = 30 if quick else 100
    big = 10_000
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        small = _store(Path(tmp) / "small", 10)
        large = _store(Path(tmp) / "large", big)
        extra = [(count, _store(Path(tmp) / f"store-{count}", count)) for count in big_sizes()]
        ratios = {10: START_RATIO, big: START_RATIO} | dict.fromkeys(
            (count for count, _ in extra), BIG_START_RATIO
        )
        rows.extend(_start_rows([(10, small), (big, large), *extra], starts, small, ratios))

        pattern = [KEYS["down"] if i % 2 == 0 else KEYS["up"] for i in range(presses)]
        term = Terminal("minimal-keys", small)
        term.wait_for("Option 5")
        km, kp95 = summarise(_presses(term, pattern))
        term.quit()
        term = Terminal("assess-question", small)
        term.wait_for("All answers saved")
        ka, ka95 = summarise(_presses(term, pattern))
        rows.append(
            Row(
                "Key press to repaint, question screen (Down/Up in the levels)",
                ka,
                ka95,
                target="within 20 ms of minimal app",
                baseline=f"minimal OptionList {km:.1f} ms (p95 {kp95:.1f}); "
                f"difference {ka - km:+.1f} ms",
                met=ka - km <= 20,
            )
        )
        sections = [b"]" if i % 2 == 0 else b"[" for i in range(presses // 2)]
        sm, sp95 = summarise(_presses(term, sections))
        term.quit()
        rows.append(Row("Section switch (] / [)", sm, sp95, target="≤ 100 ms", met=sm <= 100))

        term = Terminal("assess", large, measured=True)
        term.wait_for(*_home_markers(large))
        _until_listed(term)
        sorts = _presses(term, [b"s"] * (14 if quick else 28))
        so_med, so_p95 = summarise(sorts)
        term.press(b"/")
        typing = _presses(term, [c.encode() for c in "authority 0123"])
        term.press(b"\x1b")
        term.press(b"\x1b")  # clear the filter: every row again
        ends = _presses(term, [b"\x1b[F", b"\x1b[H"] * 3)  # End, Home
        peak = term.quit()
        rows.append(
            Row(f"Sort {big:,} assessments (S), key to repaint", so_med, so_p95, target="–")
        )
        fm, fp95 = summarise(typing)
        rows.append(
            Row(f"Filter {big:,} assessments, each key typed to repaint", fm, fp95, target="–")
        )
        em, ep95 = summarise(ends)
        rows.append(
            Row(f"Jump to the last / first of {big:,} rows (End / Home)", em, ep95, target="–")
        )
        minimal_peak = Terminal("minimal-start", small, measured=True)
        minimal_peak.wait_for("Hello")
        base_peak = minimal_peak.quit()
        rows.append(
            Row(
                f"Peak memory (ru_maxrss), home screen, {big:,} assessments",
                peak,
                peak,
                unit="MB",
                target=f"≤ {PEAK_MB:g} MB",
                baseline=f"minimal app {base_peak:.0f} MB",
                met=peak <= PEAK_MB,
                note="one run",
            )
        )
        for count, store in extra[-1:]:
            rows.append(_big_peak_row(store, count, base_peak))
    return rows


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "child":
        _child(sys.argv[2], sys.argv[3])
    else:
        print(format_table(run(quick="--quick" in sys.argv)))
