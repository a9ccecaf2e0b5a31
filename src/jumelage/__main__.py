"""`python -m jumelage` runs the command line."""

from jumelage.cli import main

main()
