from django.urls import path

from . import feeds, views

app_name = "comments"

urlpatterns = [
    path("post/<slug:slug>/", views.post_comment, name="post"),
    path("<int:pk>/report/", views.report_comment, name="report"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("verify/<str:token>/", views.verify_email, name="verify"),
    path("edit/<str:token>/", views.edit_own, name="edit"),
    path("articles/<slug:slug>/feed/", feeds.ArticleCommentsFeed(), name="feed"),
    path("articles/<slug:slug>/sections/<slug:anchor>/", views.section_responses, name="section"),
]
