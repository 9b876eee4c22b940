from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "shopassist.outbox"
    label = "outbox"
    verbose_name = "Outgoing mail"  # no page shows it

    def ready(self):
        from django.core.signals import request_finished, request_started

        from shopassist.outbox import delivery

        request_started.connect(delivery.request_started, dispatch_uid="outbox_request_started")
        request_finished.connect(delivery.request_finished, dispatch_uid="outbox_request_finished")
