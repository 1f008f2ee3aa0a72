"""Keys several screens share: a report's scrolling, N / P and back, and V for the results.

The results, plan, compare and history screens put the reading keys in their
own key tables (`tui/keys.py`), the questions and review screens V, so each
is written once here.
"""

from __future__ import annotations

from assess.tui.keys import Key

SCROLL = Key(
    "up,down,pageup,pagedown",
    help="scroll",
    bar="Scroll",
    shown="Up / Down, PgUp / PgDn",
    bar_shown="↑↓",
)
TOP_AND_BOTTOM = Key("home,end", help="go to the top or the bottom", shown="Home / End")
NEXT_SECTION = Key(
    "n",
    "section(1)",
    help="bring the next section to the top",
    bar="Section",
    bar_shown="N/P",
    command="Next section",
    command_help="Scroll to the next section",
)
PREVIOUS_SECTION = Key(
    "p",
    "section(-1)",
    help="bring the previous section to the top",
    command="Previous section",
    command_help="Scroll to the previous section",
)
BACK = Key(
    "escape",
    "back",
    help="go back",
    bar="Back",
    command="Back",
    command_help="Return to the previous screen",
)
RESULTS = Key(
    "v",
    "results",
    help="view the results: score, band, gaps and actions",
    bar="Results",
    command="Results",
    command_help="Score, band, gaps and actions",
)
