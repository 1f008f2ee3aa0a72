"""Lets `python -m assess` behave exactly like the `assess` command."""

from assess.cli import main

if __name__ == "__main__":
    main()
