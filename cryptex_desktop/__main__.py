"""``python -m cryptex_desktop`` starts the app."""

import sys

from cryptex_desktop.ui.app import main

sys.exit(main())
