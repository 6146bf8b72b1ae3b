from django.urls import URLPattern

urlpatterns: list[URLPattern] = []  # the pages come with this app's slice
