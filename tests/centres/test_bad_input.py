"""Bad input to the centre API gets a 4xx naming the field, in the client's language, and writes nothing."""

import pytest

from centres.models import Centre

pytestmark = pytest.mark.django_db


def _valid_centre(**overrides) -> dict:
    return {
        "name_zh": "新研发中心",
        "name_en": "New R&D Centre",
        "parent_company": "Beispiel AG",
        "parent_country": "DE",
        "district": "xuhui",
        "centre_type": "global_rd_centre",
        "full_time_rd_staff": 55,
        "total_staff": 80,
        **overrides,
    }


def _field_errors(response) -> dict[str, str]:
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["type"] == "validation_error"
    return {error["attr"]: error["detail"] for error in body["errors"]}


def test_a_valid_centre_is_created(client_for, xuhui_commissioner):
    response = client_for(xuhui_commissioner).post("/api/centres/", _valid_centre(), format="json")

    assert response.status_code == 201, response.content
    assert response.json()["commissioner"] == xuhui_commissioner.id


def test_unknown_district(client_for, city_commissioner):
    response = client_for(city_commissioner).post(
        "/api/centres/", _valid_centre(district="atlantis"), format="json"
    )

    assert "district" in _field_errors(response)
    assert not Centre.objects.exists()


@pytest.mark.parametrize("field", ["full_time_rd_staff", "total_staff"])
def test_negative_staff_numbers(client_for, city_commissioner, field):
    response = client_for(city_commissioner).post(
        "/api/centres/", _valid_centre(**{field: -1}), format="json"
    )

    assert "greater than or equal to 0" in _field_errors(response)[field]
    assert not Centre.objects.exists()


def test_rd_staff_above_total_staff(client_for, city_commissioner):
    response = client_for(city_commissioner).post(
        "/api/centres/", _valid_centre(full_time_rd_staff=81, total_staff=80), format="json"
    )

    assert _field_errors(response) == {"full_time_rd_staff": "Full-time R&D staff cannot exceed total staff."}
    assert not Centre.objects.exists()


def test_rd_staff_above_total_staff_on_partial_update(client_for, city_commissioner, xuhui_centre):
    response = client_for(city_commissioner).patch(
        f"/api/centres/{xuhui_centre.id}/", {"total_staff": 10}, format="json"
    )

    assert "full_time_rd_staff" in _field_errors(response)
    xuhui_centre.refresh_from_db()
    assert xuhui_centre.total_staff == 60


def test_duplicate_centre_in_the_same_district(client_for, city_commissioner, xuhui_centre):
    response = client_for(city_commissioner).post(
        "/api/centres/",
        _valid_centre(name_zh=xuhui_centre.name_zh, name_en=xuhui_centre.name_en.upper()),
        format="json",
    )

    errors = _field_errors(response)
    assert errors["name_zh"] == "A centre with this name is already registered in this district."
    assert errors["name_en"] == "A centre with this name is already registered in this district."
    assert Centre.objects.count() == 1


def test_same_name_in_another_district_is_allowed(client_for, city_commissioner, xuhui_centre):
    response = client_for(city_commissioner).post(
        "/api/centres/",
        _valid_centre(name_zh=xuhui_centre.name_zh, name_en=xuhui_centre.name_en, district="pudong"),
        format="json",
    )

    assert response.status_code == 201


def test_district_commissioner_creating_in_another_district(client_for, xuhui_commissioner):
    response = client_for(xuhui_commissioner).post(
        "/api/centres/", _valid_centre(district="pudong"), format="json"
    )

    assert _field_errors(response) == {
        "district": "A district commissioner can only register and keep centres of their own district."
    }
    assert not Centre.objects.exists()


def test_district_commissioner_moving_a_centre_away(client_for, xuhui_commissioner, xuhui_centre):
    response = client_for(xuhui_commissioner).patch(
        f"/api/centres/{xuhui_centre.id}/", {"district": "pudong"}, format="json"
    )

    assert "district" in _field_errors(response)
    xuhui_centre.refresh_from_db()
    assert xuhui_centre.district.code == "xuhui"


def test_commissioner_of_another_district(client_for, city_commissioner, pudong_commissioner):
    response = client_for(city_commissioner).post(
        "/api/centres/", _valid_centre(commissioner=pudong_commissioner.id), format="json"
    )

    assert "commissioner" in _field_errors(response)


def test_errors_speak_chinese_when_asked(client_for, xuhui_commissioner):
    client = client_for(xuhui_commissioner, language="zh-hans")

    rd_above_total = client.post("/api/centres/", _valid_centre(full_time_rd_staff=90), format="json")
    unknown_district = client.post("/api/centres/", _valid_centre(district="atlantis"), format="json")
    other_district = client.post("/api/centres/", _valid_centre(district="pudong"), format="json")

    assert _field_errors(rd_above_total)["full_time_rd_staff"] == "专职研发人员数不能超过员工总数。"
    assert "atlantis" in _field_errors(unknown_district)["district"]
    assert _field_errors(other_district)["district"] == "区级服务专员只能登记和维护本区的研发中心。"


def test_malformed_json_is_a_parse_error(client_for, city_commissioner):
    response = client_for(city_commissioner).generic(
        "POST", "/api/centres/", "{not json", content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["type"] == "client_error"
