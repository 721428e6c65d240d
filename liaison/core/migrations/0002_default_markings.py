from django.db import migrations


def seed(apps, schema_editor):
    from liaison.core.markings import ensure_default_markings

    ensure_default_markings(apps.get_model("core", "Marking"))


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
