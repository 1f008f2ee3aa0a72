"""Widgets: one per question type, plus the evidence note, the section sidebar and score bars."""
