import django.db.models.deletion
from django.db import migrations, models

from login_as_customer.swappable import customer_model_label


class Migration(migrations.Migration):
    dependencies = [
        migrations.swappable_dependency(customer_model_label()),
        ("login_as_customer", "0009_assisted_action"),
    ]

    operations = [
        migrations.CreateModel(
            name="AssistanceNotice",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("told_until", models.DateTimeField()),
                (
                    "customer",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="assistance_notice",
                        to=customer_model_label(),
                    ),
                ),
            ],
            options={"verbose_name": "assisted session notice"},
        ),
    ]
