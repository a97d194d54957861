"""How we start Debian's Chromium, shared by the browser tests and ``make screenshots``.

Playwright's own browser downloads are not used (they cannot be fetched here):
``CHROMIUM`` names the binary, ``/usr/bin/chromium`` by default. The flags keep
Chromium from calling out to Google's services, which this network refuses.
"""

import os
from pathlib import Path

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1440, "height": 900}
MOBILE = {"width": 390, "height": 844}


def launch_chromium(playwright):
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
