from django.db import migrations


def load(apps, schema_editor):
    from liaison.geo.loading import load_countries

    load_countries(apps.get_model("geo", "Country"), apps.get_model("geo", "Subdivision"))


class Migration(migrations.Migration):
    dependencies = [("geo", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
