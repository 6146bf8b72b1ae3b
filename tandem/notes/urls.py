from django.urls import path

from . import views

urlpatterns = [
    path("", views.note_list, name="note_list"),
    path("new/", views.note_create, name="note_create"),
    path("<uuid:uuid>/", views.note_detail, name="note_detail"),
    path("<uuid:uuid>/edit/", views.note_edit, name="note_edit"),
]
