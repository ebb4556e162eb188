"""The packaged thep-admin's entry point (PyInstaller runs this script)."""

import sys

from thep_desktop.cli.admin import main

sys.exit(main())
