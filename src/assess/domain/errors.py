"""The errors the app reports to an officer as bad input (exit status 2).

Every check on user-supplied data (a bank, an answers file, a bundle, an id)
raises `BadInput` with text an officer can act on. The command line prints it
and exits 2; nothing is written once one has been raised.
"""

from __future__ import annotations


class BadInput(Exception):
    """Input that we refuse, with one line (or one line per problem) saying why."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.problems: list[str] = list(problems or [])

    def lines(self) -> list[str]:
        """The message followed by each problem, one per line."""
        return [self.message, *(f"  {p}" for p in self.problems)]

    def __str__(self) -> str:
        return "\n".join(self.lines())


class BankError(BadInput):
    """A question bank that cannot be used.

    Only the first problem is printed (it says how many more there are);
    `assess questions validate --all` lists every one.
    """

    def lines(self) -> list[str]:
        return [self.message]

    def all_lines(self) -> list[str]:
        return super().lines()


class AnswersError(BadInput):
    """An answers file, or an answer value, that does not fit the bank."""
