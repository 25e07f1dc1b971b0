"""`python -m refdesk_cli`: the same as the `refdesk` command."""

from refdesk_cli.cli import main

if __name__ == "__main__":
    main()
