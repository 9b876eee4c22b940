"""Once: ShopAssist's append-only triggers on the session records. They are the host's now
(ShopAssist: lac_host 0001, which installs them again on a database that ran this)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("login_as_customer", "0001_initial")]
    operations = []
