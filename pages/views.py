from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from .models import Page


@require_safe
def page_detail(request, slug):
    """One page. Template ``pages/page_detail.html``; context ``page``."""
    return render(request, "pages/page_detail.html", {"page": get_object_or_404(Page, slug=slug)})
