from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "shopassist.demo"
    label = "demo"
    verbose_name = "Demo data"
