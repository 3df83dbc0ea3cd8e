"""The ``ngs`` console script and ``python -m ngs_cli``."""

import sys


def main() -> None:
    """Start the command line; Ctrl-C while it is still being imported exits quietly too."""
    try:
        from .cli import main as run
    except KeyboardInterrupt:
        sys.exit(130)  # ExitCode.INTERRUPTED, without importing the app to say so
    run()


if __name__ == "__main__":
    main()
