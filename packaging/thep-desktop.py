"""The packaged desktop program's entry point (PyInstaller runs this script)."""

import sys

from thep_desktop.app import main

sys.exit(main())
