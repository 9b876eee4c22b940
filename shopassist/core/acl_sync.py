"""Keep one Django permission per ACL resource."""

from django.utils.translation import override

from shopassist.core import acl


def sync_permissions(sender=None, using="default", **kwargs):
    if getattr(sender, "label", "core") != "core":
        return
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    from shopassist.core.models import AclResource

    ContentType.objects.clear_cache()  # a flushed test database leaves stale cached ids
    content_type = ContentType.objects.db_manager(using).get_for_model(
        AclResource, for_concrete_model=False
    )
    wanted = {acl.ALL_RESOURCES: "All resources"}
    with override("en"):
        for resource, _parent in acl.all_resources():
            wanted[resource.id] = str(resource.title)[:255]
    existing = {
        p.codename: p for p in Permission.objects.using(using).filter(content_type=content_type)
    }
    for codename, name in wanted.items():
        permission = existing.get(codename)
        if permission is None:
            Permission.objects.using(using).create(
                codename=codename, name=name, content_type=content_type
            )
        elif permission.name != name:
            permission.name = name
            permission.save(update_fields=["name"])
    Permission.objects.using(using).filter(content_type=content_type).exclude(
        codename__in=wanted
    ).delete()
