"""Comments and attachments: for those who can see the case, checked on upload."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from cases.models import Attachment, CaseState

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


@pytest.fixture(autouse=True)
def media_in_tmp(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path


def _upload(client, case, name="letter.pdf", content=PDF):
    return client.post(
        f"/api/cases/{case.id}/attachments/", {"file": SimpleUploadedFile(name, content)}, format="multipart"
    )


def test_comments_are_shared_by_those_who_see_the_case(
    case_in_state, client_for, science_staff, city_commissioner, other_bureau_staff
):
    case = case_in_state(CaseState.IN_PROGRESS)

    posted = client_for(science_staff).post(
        f"/api/cases/{case.id}/comments/", {"body": "Called the centre."}, format="json"
    )
    seen = client_for(city_commissioner).get(f"/api/cases/{case.id}/comments/").json()

    assert posted.status_code == 201
    assert [(c["body"], c["author"]) for c in seen] == [("Called the centre.", science_staff.id)]
    assert client_for(other_bureau_staff).get(f"/api/cases/{case.id}/comments/").status_code == 404


def test_empty_comment_and_read_only_managers(case_in_state, client_for, xuhui_commissioner, manager):
    case = case_in_state(CaseState.SUBMITTED)

    empty = client_for(xuhui_commissioner).post(
        f"/api/cases/{case.id}/comments/", {"body": "  "}, format="json"
    )
    by_manager = client_for(manager).post(f"/api/cases/{case.id}/comments/", {"body": "Hello"}, format="json")

    assert empty.status_code == 400 and empty.json()["errors"][0]["attr"] == "body"
    assert by_manager.status_code == 403
    assert case.comments.count() == 0


def test_attachment_upload_and_download(
    case_in_state, client_for, xuhui_commissioner, science_staff, other_bureau_staff
):
    case = case_in_state(CaseState.IN_PROGRESS)

    uploaded = _upload(client_for(xuhui_commissioner), case)
    assert uploaded.status_code == 201, uploaded.content
    attachment_id = uploaded.json()["id"]

    download = client_for(science_staff).get(f"/api/cases/{case.id}/attachments/{attachment_id}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert "attachment" in download["Content-Disposition"]
    assert (
        client_for(other_bureau_staff).get(f"/api/cases/{case.id}/attachments/{attachment_id}/").status_code
        == 404
    )
    assert case.events.filter(action="attach").count() == 1


def test_the_served_type_comes_from_the_checked_extension_not_the_uploaders_claim(
    case_in_state, client_for, xuhui_commissioner
):
    case = case_in_state(CaseState.SUBMITTED)
    client = client_for(xuhui_commissioner)
    claimed_html = SimpleUploadedFile("notes.txt", b"<script>alert(1)</script>", content_type="text/html")

    uploaded = client.post(f"/api/cases/{case.id}/attachments/", {"file": claimed_html}, format="multipart")

    assert uploaded.status_code == 201, uploaded.content
    assert uploaded.json()["content_type"] == "text/plain"
    download = client.get(f"/api/cases/{case.id}/attachments/{uploaded.json()['id']}/")
    assert download["Content-Type"] == "text/plain"


def test_an_attachment_is_only_reached_through_its_own_case(case_in_state, client_for, xuhui_commissioner):
    client = client_for(xuhui_commissioner)
    own, other = case_in_state(CaseState.SUBMITTED), case_in_state(CaseState.SUBMITTED)
    attachment_id = _upload(client, own).json()["id"]

    assert client.get(f"/api/cases/{other.id}/attachments/{attachment_id}/").status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("tool.exe", b"MZ\x90\x00", "Files of this type are not accepted"),
        ("fake.pdf", b"<html>not a pdf</html>", "does not match its extension"),
        ("empty.txt", b"", "The submitted file is empty."),
    ],
)
def test_rejected_uploads_store_nothing(
    name, content, message, case_in_state, client_for, xuhui_commissioner
):
    case = case_in_state(CaseState.SUBMITTED)

    response = _upload(client_for(xuhui_commissioner), case, name, content)

    assert response.status_code == 400
    assert message in response.json()["errors"][0]["detail"]
    assert not Attachment.objects.exists()


@override_settings(CASE_ATTACHMENT_MAX_BYTES=1024)
def test_too_large_upload(case_in_state, client_for, xuhui_commissioner):
    case = case_in_state(CaseState.SUBMITTED)

    response = _upload(client_for(xuhui_commissioner), case, "big.pdf", PDF + b"0" * 2048)

    assert response.status_code == 400
    assert "larger than 1.0" in response.json()["errors"][0]["detail"]
    assert not Attachment.objects.exists()
