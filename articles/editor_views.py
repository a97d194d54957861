"""The Markdown editor's endpoints in the admin: live preview and image upload.

They replace django-markdownx's own views (open to anyone who can reach them)
at the URLs its JavaScript calls. Only staff who may change articles or
authors use them; others get 403. Errors are 400 JSON in the shape of
markdownx's own form errors, which its script reports to the editor.
"""

from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, JsonResponse
from django.views.decorators.http import require_POST

from .markdown import render_markdown
from .uploads import reencode_image, save_upload

EDITOR_PERMISSIONS = ("articles.change_article", "articles.change_author")


def _require_editor(request):
    if not any(request.user.has_perm(permission) for permission in EDITOR_PERMISSIONS):
        raise PermissionDenied("Only editors of articles or authors may use the Markdown editor.")


@staff_member_required
@require_POST
def markdownify(request):
    """The sanitised HTML of the posted ``content``, rendered as the site renders sections."""
    _require_editor(request)
    content = request.POST.get("content")
    if content is None:
        return HttpResponse(
            "Nothing to preview: post the Markdown as 'content'.",
            status=400,
            content_type="text/plain",
        )
    return HttpResponse(render_markdown(content))


@staff_member_required
@require_POST
def upload_image(request):
    """Re-encode the posted ``image`` and answer ``{"image_code": "![](url)"}``.

    A refused file is ``{"image": [message]}`` with status 400.
    """
    _require_editor(request)
    upload = request.FILES.get("image")
    if upload is None:
        return JsonResponse({"image": ["Choose an image to upload."]}, status=400)
    try:
        clean = reencode_image(upload)
    except ValidationError as error:
        return JsonResponse({"image": error.messages}, status=400)
    return JsonResponse({"image_code": f"![]({save_upload(clean)})"})
