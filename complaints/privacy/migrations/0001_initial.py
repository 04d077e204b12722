"""The data-protection audit: retention runs and records, rectifications."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('complaints', '0006_notification_backoff'),
        ('policies', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Rectification',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('fields', models.JSONField(help_text='Names of the fields changed.')),
                ('reason', models.TextField()),
                ('at', models.DateTimeField()),
                ('by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('complainant', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='rectifications', to='complaints.complainant')),
            ],
            options={
                'ordering': ['at'],
            },
        ),
        migrations.CreateModel(
            name='RetentionRun',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('as_of', models.DateField(help_text='The London date the rules were applied for.')),
                ('trigger', models.CharField(choices=[('beat', 'Nightly task'), ('command', 'Management command')], max_length=10)),
                ('started_at', models.DateTimeField()),
                ('finished_at', models.DateTimeField(blank=True, help_text='Blank while running (or if it crashed).', null=True)),
                ('anonymised', models.PositiveIntegerField(default=0, help_text='Cases and feedback anonymised by this run.')),
                ('held', models.PositiveIntegerField(default=0, help_text='Past retention but held back (work outstanding).')),
                ('skipped_locked', models.PositiveIntegerField(default=0, help_text='Busy in another transaction: next run.')),
                ('failed', models.PositiveIntegerField(default=0, help_text='Could not be anonymised (logged by id): next run.')),
                ('council', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='retention_runs', to='policies.council')),
                ('run_by', models.ForeignKey(blank=True, help_text='Blank for the nightly task.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-started_at'],
            },
        ),
        migrations.CreateModel(
            name='RetentionRecord',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reference', models.CharField(help_text="The case reference, or 'feedback <id>'.", max_length=40)),
                ('action', models.CharField(default='anonymised', max_length=20)),
                ('rule', models.CharField(help_text="e.g. '10 years after the case is closed'.", max_length=120)),
                ('source', models.CharField(help_text='Policy version and section the rule comes from.', max_length=200)),
                ('counted_from', models.DateField()),
                ('retain_until', models.DateField()),
                ('files_deleted', models.PositiveSmallIntegerField(default=0)),
                ('done_at', models.DateTimeField(auto_now_add=True)),
                ('complaint', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='retention_record', to='complaints.complaint')),
                ('feedback', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='retention_record', to='complaints.feedback')),
                ('run', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='records', to='privacy.retentionrun')),
            ],
            options={
                'ordering': ['run', 'reference'],
            },
        ),
        migrations.AddIndex(
            model_name='retentionrun',
            index=models.Index(fields=['council', 'started_at'], name='privacy_ret_council_84b3a2_idx'),
        ),
        migrations.AddConstraint(
            model_name='retentionrecord',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('complaint__isnull', False), ('feedback__isnull', True)), models.Q(('complaint__isnull', True), ('feedback__isnull', False)), _connector='OR'), name='retention_record_one_subject'),
        ),
    ]
