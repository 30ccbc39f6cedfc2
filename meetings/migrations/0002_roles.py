from django.db import migrations

ISU_STAFF_GROUP = "ISU staff"
COORDINATORS_GROUP = "Coordinators"


def create_roles(apps, schema_editor):
    # Permissions are normally made after all migrations; make them now so the group can hold them.
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions

    for label in ("delegations", "meetings"):
        create_permissions(global_apps.get_app_config(label), verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    staff, _ = Group.objects.get_or_create(name=ISU_STAFF_GROUP)
    staff.permissions.set(Permission.objects.filter(content_type__app_label__in=["delegations", "meetings"]))
    Group.objects.get_or_create(name=COORDINATORS_GROUP)


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0001_initial"),
        ("delegations", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
