from django.urls import path

from . import views

urlpatterns = [
    path("", views.strategy_list, name="strategy_list"),
    path("new/", views.strategy_create, name="strategy_create"),
    path("framework/", views.framework_edit, name="framework_edit"),
    path("<uuid:uuid>/", views.strategy_detail, name="strategy_detail"),
    path("<uuid:uuid>/edit/", views.strategy_edit, name="strategy_edit"),
]
