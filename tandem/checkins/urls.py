from django.urls import path

from . import views

urlpatterns = [
    path("", views.checkin_list, name="checkin_list"),
    path("new/", views.series_new, name="checkin_series_new"),
    path("series/<uuid:uuid>/", views.series_detail, name="checkin_series"),
    path("<uuid:uuid>/", views.checkin_detail, name="checkin_detail"),
    path("<uuid:uuid>/skip/", views.checkin_skip, name="checkin_skip"),
    path("<uuid:uuid>/move/", views.checkin_move, name="checkin_move"),
    path("items/<uuid:uuid>/done/", views.action_item_done, name="action_item_done"),
    path("calendar/", views.calendar_settings, name="calendar_settings"),
]
