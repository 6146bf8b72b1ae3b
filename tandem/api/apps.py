from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "tandem.api"
    verbose_name = "API"
