from django.urls import path

from . import tus, views

urlpatterns = [
    path("", views.video_list, name="video_list"),
    path("upload/", views.video_upload, name="video_upload"),
    path("policy/", views.media_policy, name="media_policy"),
    # The tus 1.0 endpoint (tandem/media/tus.py).
    path("uploads/", tus.create, name="tus_create"),
    path("uploads/<uuid:uuid>", tus.resource, name="tus_upload"),
    path("<uuid:uuid>/", views.video_detail, name="video_detail"),
    path("<uuid:uuid>/status/", views.video_status, name="video_status"),
    path("<uuid:uuid>/stream/", views.video_stream, name="video_stream"),
    path("<uuid:uuid>/poster/", views.video_poster, name="video_poster"),
    path("<uuid:uuid>/captions.vtt", views.video_captions, name="video_captions"),
    path("<uuid:uuid>/captions/", views.video_captions_upload, name="video_captions_upload"),
    path("<uuid:uuid>/played/", views.video_played, name="video_played"),
    path("<uuid:uuid>/comments/", views.video_comments, name="video_comments"),
    path(
        "<uuid:uuid>/comments/<uuid:comment>/delete/",
        views.comment_delete,
        name="video_comment_delete",
    ),
    path("<uuid:uuid>/share/", views.video_share, name="video_share"),
    path("<uuid:uuid>/private/", views.video_keep_private, name="video_keep_private"),
    path("<uuid:uuid>/delete/", views.video_delete, name="video_delete"),
]
