"""The migration that gives households and forms ศจพ.1 their UUIDs (ADR 0021) gives every
existing row its own, on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("households", "0006_area_summary"), ("verification", "0002_round_deadline")]
AFTER = [
    ("households", "0007_household_uid_version"),
    ("verification", "0003_verification_uid_version"),
]


@pytest.mark.django_db(transaction=True)
def test_every_existing_row_gets_its_own_uid():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    registry = old.get_model("households", "RegistryYear").objects.create(
        survey_year=2568,
        run_path="/runs/2568",
        indicator_set_id="tpmap_mpi_17",
        indicator_set_version="1",
        indicator_set_sha256="0" * 64,
        profile="default",
    )
    Household = old.get_model("households", "Household")
    households = [
        Household.objects.create(
            registry=registry,
            hh_id=f"H{i}",
            province_code="34",
            district_code="3401",
            subdistrict_code="340101",
            village_no=1,
            village_code="34010101",
        )
        for i in range(3)
    ]
    user = old.get_model("accounts", "User").objects.create(username="team", role="subdistrict")
    old.get_model("verification", "Verification").objects.create(
        household=households[0],
        household_status="lives_here",
        members_now=1,
        income_year=1000,
        marks={},
        result="all_correct",
        household_type="welfare",
        verified_by=user,
        verified_at="2026-12-01T00:00:00Z",
    )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    rows = list(new.get_model("households", "Household").objects.values_list("uid", "version"))
    assert len({uid for uid, _ in rows}) == 3 and all(uid for uid, _ in rows)
    assert {v for _, v in rows} == {1}
    form = new.get_model("verification", "Verification").objects.get()
    assert form.uid and form.version == 1
    # back to the present for the tests that follow
    MigrationExecutor(connection).migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
