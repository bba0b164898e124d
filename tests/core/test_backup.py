"""bin/backup and bin/restore: a backup restored into a fresh database and an empty media directory
holds every case, every history row (the change tables and the workflow histories) and every
attachment's bytes."""

import os
import subprocess
from pathlib import Path

import psycopg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from cases.models import Attachment, Case
from cases.services import case_add_attachment, workflow
from core.management.commands.purge_history import history_models
from landing.models import Briefing, BriefingFormat, BriefingMaterial
from landing.services import briefing_add_material
from tests.factories import shanghai_measure

ROOT = Path(__file__).resolve().parents[2]
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _url(name: str) -> str:
    settings = connection.settings_dict
    return f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{name}"


@pytest.fixture
def fresh_database():
    """An empty database beside the test database, dropped afterwards."""
    name = f"{connection.settings_dict['NAME']}_restored"
    with psycopg.connect(_url("postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    yield name
    with psycopg.connect(_url("postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _run(script: str, *arguments: str, database: str, media: Path) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _url(database),
        "DJANGO_MEDIA_ROOT": str(media),
    }
    done = subprocess.run(
        [str(ROOT / "bin" / script), *arguments], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def _content(cursor, table: str) -> tuple[int, str]:
    """A table's rows and a digest of all of them, in key order."""
    cursor.execute(
        f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM {table} AS t"
    )
    return cursor.fetchone()


def test_a_restored_backup_holds_every_case_history_row_and_file(
    settings, tmp_path, fresh_database, xuhui_commissioner, xuhui_centre, city_commissioner
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    cases = [
        workflow.case_submit(
            actor=xuhui_commissioner,
            centre=xuhui_centre,
            measure=shanghai_measure(1),
            title=f"Funding late {n}",
            description="The grant was approved in March and has not arrived.",
        )
        for n in range(3)
    ]
    workflow.case_edit(case=cases[0], actor=xuhui_commissioner, title="Funding late, edited")
    for n, case in enumerate(cases):
        case_add_attachment(
            case=case,
            uploaded_by=xuhui_commissioner,
            upload=SimpleUploadedFile(f"letter-{n}.pdf", PDF + str(n).encode(), "application/pdf"),
        )
    briefing = Briefing.objects.create(
        held_on="2026-11-02", format=BriefingFormat.SEMINAR, title="Measures", given_by=city_commissioner
    )
    briefing_add_material(
        briefing=briefing,
        actor=city_commissioner,
        upload=SimpleUploadedFile("slides.pdf", PDF + b"slides", "application/pdf"),
    )
    files = {
        row.file.name: Path(row.file.path).read_bytes()
        for row in [*Attachment.objects.all(), *BriefingMaterial.objects.all()]
    }
    assert len(files) == 4

    source = connection.settings_dict["NAME"]
    _run("backup", str(tmp_path / "backups"), database=source, media=tmp_path / "media")
    (backup,) = (tmp_path / "backups").iterdir()
    assert sorted(p.name for p in backup.iterdir()) == [
        "MANIFEST",
        "SHA256SUMS",
        "database.dump",
        "media.tar.gz",
    ]

    restored_media = tmp_path / "restored-media"
    done = _run("restore", str(backup), database=fresh_database, media=restored_media)
    assert "Every file named by a row is present." in done.stdout

    tables = [Case._meta.db_table, Attachment._meta.db_table, BriefingMaterial._meta.db_table] + [
        model._meta.db_table for model in history_models()
    ]
    with psycopg.connect(_url(fresh_database)) as restored, restored.cursor() as there:
        with connection.cursor() as here:
            for table in tables:
                assert _content(there, table) == _content(here, table), table
        there.execute(f"SELECT count(*) FROM {Case._meta.db_table}")
        assert there.fetchone()[0] == 3
    # The edit, the attachments and the material are history rows of the restored database too.
    assert sum(_content(connection.cursor(), model._meta.db_table)[0] for model in history_models()) > 10
    for name, content in files.items():
        assert (restored_media / name).read_bytes() == content

    # Restoring again would mix the backup with what is there now: refused, nothing touched.
    env = {**os.environ, "DATABASE_URL": _url(fresh_database), "DJANGO_MEDIA_ROOT": str(tmp_path / "other")}
    again = subprocess.run(
        [str(ROOT / "bin" / "restore"), str(backup)], env=env, capture_output=True, text=True, timeout=60
    )
    assert again.returncode == 2
    assert "restore into a new, empty one" in again.stderr
