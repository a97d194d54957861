from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from .models import Comment


def pending_comment_count(request):
    """``pending_comment_count`` for the admin's menu and index: everything waiting for a
    human (pending, held by rules, reported).

    Staff on admin pages only, and counted once per request, when a template
    shows it (the index and the side menu both do).
    """
    if not request.path.startswith(reverse("admin:index")):
        return {}
    user = getattr(request, "user", None)
    if user is None or not user.is_staff:
        return {}
    return {"pending_comment_count": SimpleLazyObject(Comment.objects.waiting().count)}
