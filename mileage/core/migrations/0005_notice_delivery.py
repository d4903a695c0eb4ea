# Notices delivered through channels (issue #14): backoff, claims, per-channel sends, the dead
# letter and 수신 거부 states, members' notice preferences and the channels' rate-limit windows.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def failed_is_dead(apps, schema_editor):
    """The old final state `failed` is the dead letter now."""
    apps.get_model("core", "OutboxMessage").objects.filter(status="failed").update(status="dead")


def dead_is_failed(apps, schema_editor):
    apps.get_model("core", "OutboxMessage").objects.filter(status__in=["dead", "skipped"]).update(
        status="failed"
    )


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0004_parameterchange'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='outboxmessage',
            name='next_attempt_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='outboxmessage',
            name='claimed_until',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='outboxmessage',
            name='sent_channels',
            field=models.CharField(blank=True, max_length=30),
        ),
        migrations.AlterField(
            model_name='outboxmessage',
            name='status',
            field=models.CharField(choices=[('pending', '발송 대기'), ('sent', '발송됨'), ('dead', '발송 실패'), ('skipped', '수신 거부')], default='pending', max_length=10),
        ),
        migrations.RunPython(failed_is_dead, dead_is_failed),
        migrations.CreateModel(
            name='NoticePreference',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('sms', models.BooleanField(default=True, verbose_name='문자')),
                ('email', models.BooleanField(default=False, verbose_name='이메일')),
                ('non_essential', models.BooleanField(default=True, verbose_name='안내·홍보 알림 받기')),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='notice_preference', to=settings.AUTH_USER_MODEL)),
            ],
        ),
        migrations.CreateModel(
            name='ChannelQuota',
            fields=[
                ('channel', models.CharField(max_length=10, primary_key=True, serialize=False)),
                ('window_start', models.DateTimeField(blank=True, null=True)),
                ('used', models.PositiveIntegerField(default=0)),
            ],
        ),
    ]
