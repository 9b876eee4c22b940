from django.db import migrations

from shopassist.audit.append_only import install_log_triggers
from shopassist.audit.models import CHAINS


def install(apps, schema_editor):
    install_log_triggers(schema_editor)
    ChainHead = apps.get_model("audit", "ChainHead")
    ChainHead.objects.bulk_create(
        [ChainHead(chain=chain) for chain in range(CHAINS)], ignore_conflicts=True
    )


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
