"""``python -m thep_desktop`` opens the desktop program."""

import sys

from thep_desktop.app import main

sys.exit(main())
