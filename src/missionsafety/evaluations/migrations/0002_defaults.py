from django.db import migrations


def forwards(apps, schema_editor):
    from missionsafety.evaluations.defaults import install

    install(apps)


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
