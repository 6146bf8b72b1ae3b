from django.urls import path

from . import views

urlpatterns = [
    path("", views.goal_list, name="goal_list"),
    path("new/", views.goal_create, name="goal_create"),
    path("<uuid:uuid>/", views.goal_detail, name="goal_detail"),
    path("<uuid:uuid>/edit/", views.goal_edit, name="goal_edit"),
]
