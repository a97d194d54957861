from django.urls import path

from . import feeds, views

app_name = "articles"

urlpatterns = [
    path("", views.ArticleListView.as_view(), name="list"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("articles/<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("tags/<slug:slug>/", views.TagArticleListView.as_view(), name="tag"),
    path("authors/<slug:slug>/", views.AuthorArticleListView.as_view(), name="author"),
    path("feed/", feeds.LatestArticlesFeed(), name="feed"),
    path("feed/atom/", feeds.AtomLatestArticlesFeed(), name="feed-atom"),
    path("tags/<slug:slug>/feed/", feeds.TagArticlesFeed(), name="tag-feed"),
    path("tags/<slug:slug>/feed/atom/", feeds.AtomTagArticlesFeed(), name="tag-feed-atom"),
    path("authors/<slug:slug>/feed/", feeds.AuthorArticlesFeed(), name="author-feed"),
    path("authors/<slug:slug>/feed/atom/", feeds.AtomAuthorArticlesFeed(), name="author-feed-atom"),
]
