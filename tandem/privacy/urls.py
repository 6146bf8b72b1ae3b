from django.urls import path

from . import views

urlpatterns = [
    path("", views.privacy, name="privacy"),
    path("share/", views.share_category, name="privacy_share_category"),
    path("narrow/", views.narrow_agreement, name="privacy_narrow"),
    path("who-looked/", views.who_looked, name="who_looked"),
    path("items/<slug:kind>/<uuid:uuid>/share/", views.item_share, name="item_share"),
    path("items/<slug:kind>/<uuid:uuid>/hold-back/", views.item_hold_back, name="item_hold_back"),
    path("schools/<uuid:uuid>/agreement/", views.school_agreement, name="school_agreement"),
    path(
        "schools/<uuid:uuid>/agreement/set/",
        views.school_agreement_set,
        name="school_agreement_set",
    ),
]
