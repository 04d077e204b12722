"""The access audit records how a case was seen (viewed, API read, exported, downloaded) and what."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('staff', '0003_open_cases_by_received_index'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='caseview',
            options={'verbose_name': 'case access record', 'verbose_name_plural': 'case access audit'},
        ),
        migrations.AddField(
            model_name='caseview',
            name='action',
            field=models.CharField(choices=[('viewed', 'Viewed the case'), ('api_read', 'Read the case through the API'), ('exported', 'Exported in a download'), ('downloaded', 'Downloaded a file')], default='viewed', max_length=20),
        ),
        migrations.AddField(
            model_name='caseview',
            name='detail',
            field=models.CharField(blank=True, help_text='What was exported or downloaded (file name), or the API client.', max_length=300),
        ),
        migrations.AlterField(
            model_name='caseview',
            name='viewed_at',
            field=models.DateTimeField(auto_now_add=True, verbose_name='when'),
        ),
        migrations.AddIndex(
            model_name='caseview',
            index=models.Index(fields=['viewed_at'], name='case_access_when'),
        ),
    ]
