from django.db import migrations


def forwards(apps, schema_editor):
    from missionsafety.risks.library import install_library

    install_library(apps)


class Migration(migrations.Migration):
    dependencies = [("risks", "0003_escalation")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
