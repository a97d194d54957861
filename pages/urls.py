from django.urls import path

from . import views

app_name = "pages"

# The about page has a short address of its own; any other page lives under /pages/.
urlpatterns = [
    path("about/", views.page_detail, {"slug": "about"}, name="about"),
    path("pages/<slug:slug>/", views.page_detail, name="detail"),
]
