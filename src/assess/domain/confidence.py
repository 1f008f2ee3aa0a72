"""The five-point delivery confidence scale of the Gateway review's Delivery Confidence Assessment.

The rules suggest a rating for each assessment (`scoring`); the officer may
record their own, with a reason. Kept apart from the scoring so that the
store can check a stored rating without loading the scoring.
"""

from __future__ import annotations

RED = "Red"
AMBER_RED = "Amber/Red"
AMBER = "Amber"
AMBER_GREEN = "Amber/Green"
GREEN = "Green"
CONFIDENCE_RATINGS = (RED, AMBER_RED, AMBER, AMBER_GREEN, GREEN)  # lowest first
