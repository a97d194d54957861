"""
Demo content for ``manage.py loaddemo``, written for this project.

One module per article, plus the authors and the Pillow figure drawing. The
articles are original analysis; the analysts, institutes and authors they
name are fictional, and charts marked "illustrative" show no real data.
"""

from .actors import ACTORS
from .arctic import ARTICLE as ARCTIC
from .authors import AUTHORS
from .rivers import ARTICLE as RIVERS
from .semiconductors import ARTICLE as SEMICONDUCTORS

ARTICLES = (ARCTIC, SEMICONDUCTORS, RIVERS)

__all__ = ["ACTORS", "ARTICLES", "AUTHORS"]
