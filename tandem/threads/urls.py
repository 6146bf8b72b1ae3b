from django.urls import path

from . import views

urlpatterns = [
    path("", views.thread_index, name="thread_index"),
    path("school/<uuid:uuid>/", views.school_thread, name="school_thread"),
    path("school/<uuid:uuid>/resources/", views.resource_list, name="resource_list"),
    path("<uuid:uuid>/", views.thread_page, name="thread_page"),
    path("<uuid:uuid>/poll/", views.thread_poll, name="thread_poll"),
    path("<uuid:uuid>/join/", views.thread_join, name="thread_join"),
    path("<uuid:uuid>/norms/", views.thread_norms, name="thread_norms"),
]
