"""How quick the TUI feels: start-up, key presses, section switches, and memory.

Every measurement runs in a fresh subprocess, so imports and caches start
cold each time, and each is compared with a minimal Textual app (one
widget) measured the same way in the same run:

- start-up: from starting the process to the first screen ready (the home
  screen for the app, a Static for the minimal app); target ≤ 1.5× minimal;
- key press to repaint on a question screen (Down in the levels list),
  against Down in a minimal app's OptionList; target within 20 ms of it;
- switching section (] in the questionnaire); target ≤ 100 ms;
- peak memory (ru_maxrss) with the home screen open on a 10,000-assessment
  store, and how long that home screen takes to appear.

Run: `python -m benchmarks.bench_tui` (add `--quick` for fewer samples).
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import Row, format_table, summarise

REPO = Path(__file__).resolve().parents[1]
READY = "READY"


# ---------------------------------------------------------------------------
# What runs inside the child processes


def _child(kind: str, store_path: str, repeat: int) -> None:
    import asyncio
    import resource

    from textual.app import App, ComposeResult
    from textual.widgets import OptionList, Static

    class Minimal(App[None]):
        def compose(self) -> ComposeResult:
            if kind == "minimal-keys":
                yield OptionList(*[f"Option {i}" for i in range(6)])
            else:
                yield Static("Hello")

    def report(**values: object) -> None:
        print("RESULT " + json.dumps(values), flush=True)

    if kind.startswith("minimal"):
        app: App[None] = Minimal()
    else:
        from assess.store import Store
        from assess.tui.app import AssessApp

        app = AssessApp(
            Store.open(Path(store_path)),
            cursor_blink=False,
            handle_signals=False,
            remember_theme=False,
        )

    async def pilot_main(pilot) -> None:
        from assess.tui.screens.home import HomeScreen

        if not kind.startswith("minimal"):
            while not isinstance(app.screen, HomeScreen):
                await asyncio.sleep(0.001)
        print(READY, flush=True)
        if kind in ("minimal-keys", "assess-keys", "assess-section"):
            if kind != "minimal-keys":
                await pilot.press("enter")  # open the assessment
                await pilot.pause()
                await app.screen.go_to("R-LEAD-OWNERSHIP")
                await pilot.pause()
            samples = []
            for i in range(repeat):
                if kind == "assess-section":
                    start = time.perf_counter()
                    if i % 2:
                        await app.screen.action_previous_section()
                    else:
                        await app.screen.action_next_section()
                    await pilot.pause()
                else:
                    start = time.perf_counter()
                    await pilot.press("down" if i % 10 < 5 else "up")
                samples.append((time.perf_counter() - start) * 1000)
            report(samples=samples)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        report(peak_mb=peak)
        app.exit()

    app.run(headless=True, size=(80, 24), auto_pilot=pilot_main)


# ---------------------------------------------------------------------------
# The parent: starts children and times them


def _spawn(kind: str, store: Path, repeat: int = 0) -> tuple[float, dict[str, object]]:
    """Run one child; return (ms from spawn to READY, merged RESULT values)."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.bench_tui", "child", kind, str(store), str(repeat)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    ready_ms = float("nan")
    results: dict[str, object] = {}
    for line in proc.stdout:
        if line.strip() == READY:
            ready_ms = (time.perf_counter() - start) * 1000
        elif line.startswith("RESULT "):
            results.update(json.loads(line[7:]))
    if proc.wait(timeout=300) != 0:
        raise RuntimeError(f"benchmark child {kind} failed")
    return ready_ms, results


def _small_store(root: Path) -> Path:
    from assess.store import Store
    from benchmarks.bench_store import full_answers

    store = Store.open(root)
    bank = store.current_bank()
    rng = random.Random(7)
    for i in range(20):
        store.create(authority=f"Council {i:02d}", answers=full_answers(bank, rng))
    return root


def run(quick: bool) -> list[Row]:
    starts = 4 if quick else 10
    presses = 30 if quick else 100
    big = 2000 if quick else 10_000
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        small = _small_store(Path(tmp) / "small")

        minimal = [_spawn("minimal-start", small)[0] for _ in range(starts)]
        ours = [_spawn("assess-start", small)[0] for _ in range(starts)]
        m_med, _ = summarise(minimal)
        a_med, a_p95 = summarise(ours)
        ratio = a_med / m_med
        rows.append(
            Row(
                "TUI start to usable home screen (20 assessments)",
                a_med,
                a_p95,
                target="≤ 1.5× minimal Textual app",
                baseline=f"minimal app {m_med:.0f} ms; ratio {ratio:.2f}×",
                met=ratio <= 1.5,
            )
        )

        _, keys_min = _spawn("minimal-keys", small, presses)
        _, keys_ours = _spawn("assess-keys", small, presses)
        km, _ = summarise(keys_min["samples"])  # type: ignore[arg-type]
        ka, kp95 = summarise(keys_ours["samples"])  # type: ignore[arg-type]
        rows.append(
            Row(
                "Key press to repaint, question screen (Down)",
                ka,
                kp95,
                target="within 20 ms of minimal app",
                baseline=f"minimal OptionList {km:.1f} ms",
                met=ka - km <= 20,
                note="includes Pilot's wait-for-idle in both",
            )
        )

        _, section = _spawn("assess-section", small, presses)
        sm, sp95 = summarise(section["samples"])  # type: ignore[arg-type]
        rows.append(Row("Section switch (] / [)", sm, sp95, target="≤ 100 ms", met=sm <= 100))

        from benchmarks.bench_store import build_store

        big_root = Path(tmp) / "big"
        build_store(big_root, big, random.Random(11))
        home_ms, mem = _spawn("assess-start", big_root)
        _, mem_min = _spawn("minimal-start", small)
        rows.append(
            Row(
                f"TUI start to home screen, {big:,} assessments",
                home_ms,
                home_ms,
                note="one run",
            )
        )
        rows.append(
            Row(
                f"Peak memory (ru_maxrss), home screen, {big:,} assessments",
                float(mem["peak_mb"]),  # type: ignore[arg-type]
                float(mem["peak_mb"]),  # type: ignore[arg-type]
                unit="MB",
                baseline=f"minimal app {float(mem_min['peak_mb']):.0f} MB",  # type: ignore[arg-type]
            )
        )
    return rows


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "child":
        _child(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        print(format_table(run(quick="--quick" in sys.argv)))
