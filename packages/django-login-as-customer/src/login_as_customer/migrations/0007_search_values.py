"""Once: the values ShopAssist's log filters look up first. They are the host's now
(ShopAssist: lac_host 0001, which adds no value twice on a database that ran this)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("login_as_customer", "0006_assistedsession_last_seen_at")]
    operations = []
