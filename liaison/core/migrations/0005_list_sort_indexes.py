"""Indexes on the columns the main lists sort by (and the dashboard reads by date), so
that a page of fifty sorted rows reads fifty rows of an index instead of sorting every
record the user sees. Created from core (the scale work's one migration place) on the
tables of the other apps, the same SQL on SQLite and PostgreSQL."""

from __future__ import annotations

from django.db import migrations

INDEXES = {
    "liaison_person_sort_name": ("partners_person", "family_name, full_name"),
    "liaison_person_full_name": ("partners_person", "full_name"),
    "liaison_organization_sort_name": ("partners_organization", "name_fr, name_en"),
    "liaison_position_start": ("partners_position", "start_date"),
    "liaison_activity_planned_start": ("activities_activity", "planned_start, title"),
    "liaison_activity_type_status": ("activities_activity", "owner_id, activity_type, status"),
    "liaison_assignment_start": ("activities_assignment", "start_date"),
    "liaison_assignment_end": ("activities_assignment", "end_date"),
    "liaison_request_received": ("activities_request", "received_on"),
    "liaison_session_start": ("training_session", "start_date"),
    "liaison_event_start": ("events_event", "start_date"),
    "liaison_vetting_requested": ("vetting_vettingrequest", "requested_on"),
}


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_search_fulltext"),
        ("partners", "0001_initial"),
        ("activities", "0002_initial"),
        ("training", "0001_initial"),
        ("events", "0001_initial"),
        ("vetting", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(
            [
                f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns})"
                for name, (table, columns) in INDEXES.items()
            ],
            [f"DROP INDEX IF EXISTS {name}" for name in INDEXES],
        )
    ]
