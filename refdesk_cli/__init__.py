"""`refdesk`: a deployed stage's libraries and librarians, run from the command line. Not
deployed: it uses chalicelib's domain functions against the stage's tables (`cli.py`)."""
