"""Each ended session keeps its number of journal entries (``action_count``): counted here for
the sessions that ended before, from the feature's own journal (``AssistedAction``). A host
with a journal of its own counts from it (ShopAssist: lac_host 0004)."""

from django.db import migrations, models


def count_own_journal(apps, schema_editor):
    sessions = apps.get_model("login_as_customer", "AssistedSession")
    actions = apps.get_model("login_as_customer", "AssistedAction")
    counts = (
        actions.objects.filter(assisted_session_id=models.OuterRef("pk"))
        .order_by()
        .values("assisted_session_id")
        .annotate(n=models.Count("pk"))
        .values("n")
    )
    if actions.objects.exists():
        sessions.objects.filter(ended_at__isnull=False, action_count__isnull=True).update(
            action_count=models.functions.Coalesce(models.Subquery(counts), 0)
        )


class Migration(migrations.Migration):
    dependencies = [("login_as_customer", "0012_assistance_codes")]

    operations = [
        migrations.AddField(
            model_name="assistedsession",
            name="action_count",
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name="actions"),
        ),
        migrations.RunPython(count_own_journal, migrations.RunPython.noop),
    ]
