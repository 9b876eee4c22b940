from django.db import migrations

from shopassist.audit.append_only import install_session_triggers


def install(apps, schema_editor):
    install_session_triggers(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("login_as_customer", "0001_initial"), ("audit", "0002_append_only")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
