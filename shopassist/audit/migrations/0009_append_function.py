"""PostgreSQL: audit_append_entry for the databases that applied 0006_chain_in_insert before it
created the function (it now does; this installs it again, the same). Reversed, nothing: the
function belongs to 0006."""

from django.db import migrations

from shopassist.audit.chained_insert import install_append_function


def install(apps, schema_editor):
    install_append_function(
        schema_editor,
        apps.get_model("audit", "ActionLogEntry"),
        apps.get_model("audit", "ChainHead"),
    )


class Migration(migrations.Migration):
    dependencies = [("audit", "0008_search_values")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
