from django.db import migrations


def forwards(apps, schema_editor):
    from missionsafety.occurrences.defaults import install_categories

    install_categories(apps.get_model("occurrences", "OccurrenceCategory"))


class Migration(migrations.Migration):
    dependencies = [("occurrences", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
