from django.db import migrations


def seed(apps, schema_editor):
    from liaison.core.markings import DEFAULT_MARKINGS

    Marking = apps.get_model("core", "Marking")
    for code, name_fr, name_en, level in DEFAULT_MARKINGS:
        Marking.objects.get_or_create(
            code=code, defaults={"name_fr": name_fr, "name_en": name_en, "level": level}
        )


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
