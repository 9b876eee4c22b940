import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

from login_as_customer.swappable import customer_model_label


class Migration(migrations.Migration):
    dependencies = [
        migrations.swappable_dependency(customer_model_label()),
        ("login_as_customer", "0011_session_mode"),
    ]

    operations = [
        migrations.AddField(
            model_name="assistedsession",
            name="consent_basis",
            field=models.CharField(
                choices=[("standing", "Standing opt-in"), ("code", "Assistance code")],
                default="standing",
                max_length=16,
                verbose_name="consent",
            ),
        ),
        migrations.CreateModel(
            name="AssistanceCode",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("code_hash", models.CharField(max_length=64)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("expires_at", models.DateTimeField()),
                ("failed_attempts", models.PositiveSmallIntegerField(default=0)),
                ("used_at", models.DateTimeField(blank=True, null=True)),
                ("voided_at", models.DateTimeField(blank=True, null=True)),
                (
                    "assisted_session",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="login_as_customer.assistedsession",
                    ),
                ),
                (
                    "customer",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=customer_model_label(),
                    ),
                ),
            ],
            options={
                "verbose_name": "assistance code",
                "indexes": [
                    models.Index(
                        condition=models.Q(("used_at__isnull", True), ("voided_at__isnull", True)),
                        fields=["customer"],
                        name="lac_open_code_by_customer",
                    )
                ],
            },
        ),
    ]
