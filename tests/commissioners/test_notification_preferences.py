"""Each user chooses, per kind of notification, an e-mail at once or a line in the daily digest; their
own choices only, checked and refused in the reader's language."""

import pytest

from commissioners.models import NotificationKind, NotificationPreference

pytestmark = pytest.mark.django_db
URL = "/api/me/notification-preferences/"
K = NotificationKind


def deliveries(response) -> dict[str, str]:
    return {row["kind"]: row["delivery"] for row in response.json()["preferences"]}


def test_every_kind_is_listed_with_its_label_and_goes_at_once_by_default(client_for, bureau_staff):
    response = client_for(bureau_staff, language="en").get(URL)

    assert response.status_code == 200
    rows = response.json()["preferences"]
    assert [row["kind"] for row in rows] == K.values
    assert {row["delivery"] for row in rows} == {"immediate"}
    assert rows[K.values.index(K.CASE_DISPATCHED)]["label"] == "a case was dispatched to your bureau"

    chinese = client_for(bureau_staff, language="zh-hans").get(URL).json()["preferences"]
    assert chinese[K.values.index(K.CASE_DISPATCHED)]["label"] == "诉求已交办至本单位"


def test_patch_changes_only_the_kinds_it_gives(client_for, bureau_staff):
    client = client_for(bureau_staff)
    client.patch(URL, {"preferences": [{"kind": "case_logged", "delivery": "digest"}]}, format="json")

    response = client.patch(
        URL, {"preferences": [{"kind": "case_accepted", "delivery": "digest"}]}, format="json"
    )

    assert response.status_code == 200
    chosen = deliveries(response)
    assert chosen["case_logged"] == chosen["case_accepted"] == "digest"
    assert chosen["case_answered"] == "immediate"
    assert deliveries(client.get(URL)) == chosen


def test_put_gives_the_whole_set_and_a_kind_left_out_goes_back_to_at_once(client_for, bureau_staff):
    client = client_for(bureau_staff)
    client.patch(
        URL,
        {
            "preferences": [
                {"kind": "case_logged", "delivery": "digest"},
                {"kind": "case_accepted", "delivery": "digest"},
            ]
        },
        format="json",
    )

    response = client.put(
        URL, {"preferences": [{"kind": "case_answered", "delivery": "digest"}]}, format="json"
    )

    assert response.status_code == 200
    assert {kind for kind, delivery in deliveries(response).items() if delivery == "digest"} == {
        "case_answered"
    }
    assert set(NotificationPreference.objects.filter(user=bureau_staff).values_list("kind", flat=True)) == {
        "case_answered"
    }


def test_choosing_the_same_again_changes_nothing(client_for, bureau_staff):
    client = client_for(bureau_staff)
    body = {"preferences": [{"kind": "case_logged", "delivery": "digest"}]}
    assert client.put(URL, body, format="json").json() == client.put(URL, body, format="json").json()
    assert NotificationPreference.objects.filter(user=bureau_staff).count() == 1


@pytest.mark.parametrize(
    ("body", "attr", "english", "chinese"),
    [
        (
            {"preferences": [{"kind": "gossip", "delivery": "digest"}]},
            "preferences.0.kind",
            "“gossip” is not a kind of notification.",
            "“gossip”不是通知类型。",
        ),
        (
            {"preferences": [{"kind": "case_logged", "delivery": "never"}]},
            "preferences.0.delivery",
            "“never” is not a way of delivery: choose “immediate” or “digest”.",
            "“never”不是有效的发送方式：请选择“immediate”（即时邮件）或“digest”（每日汇总邮件）。",
        ),
        (
            {
                "preferences": [
                    {"kind": "case_logged", "delivery": "digest"},
                    {"kind": "case_logged", "delivery": "immediate"},
                ]
            },
            "preferences",
            "Each kind may be given once; “case_logged” is given more than once.",
            "每种类型只能出现一次；“case_logged”出现了多次。",
        ),
    ],
    ids=["unknown kind", "unknown delivery", "a kind twice"],
)
def test_bad_input_is_a_400_in_the_readers_language(client_for, bureau_staff, body, attr, english, chinese):
    for language, detail in (("en", english), ("zh-hans", chinese)):
        response = client_for(bureau_staff, language=language).patch(URL, body, format="json")

        assert response.status_code == 400
        error = response.json()["errors"][0]
        assert (error["attr"], error["detail"]) == (attr, detail)
    assert not NotificationPreference.objects.exists()


@pytest.mark.parametrize(
    "body",
    [{}, {"preferences": "digest"}, {"preferences": [{"kind": "case_logged"}]}, [], {"preferences": [None]}],
    ids=["nothing", "not a list", "no delivery", "not an object", "a null"],
)
def test_a_put_without_a_well_formed_set_is_a_400(client_for, bureau_staff, body):
    response = client_for(bureau_staff).put(URL, body, format="json")
    assert response.status_code == 400
    assert response.json()["type"] == "validation_error"


@pytest.mark.parametrize("method", ["put", "patch"])
def test_a_kind_without_its_delivery_is_a_400(client_for, bureau_staff, method):
    response = getattr(client_for(bureau_staff), method)(
        URL, {"preferences": [{"kind": "case_logged"}]}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "preferences.0.delivery"


def test_a_patch_with_nothing_to_change_changes_nothing(client_for, bureau_staff):
    response = client_for(bureau_staff).patch(URL, {}, format="json")
    assert response.status_code == 200
    assert set(deliveries(response).values()) == {"immediate"}


def test_each_user_sees_and_changes_only_their_own(client_for, bureau_staff, city_commissioner):
    client_for(bureau_staff).put(
        URL, {"preferences": [{"kind": "case_logged", "delivery": "digest"}]}, format="json"
    )

    assert deliveries(client_for(city_commissioner).get(URL))["case_logged"] == "immediate"
    client_for(city_commissioner).put(URL, {"preferences": []}, format="json")
    assert deliveries(client_for(bureau_staff).get(URL))["case_logged"] == "digest"


@pytest.mark.parametrize("method", ["get", "put", "patch"])
def test_strangers_are_refused(anonymous_client, method):
    response = getattr(anonymous_client, method)(
        URL, {"preferences": [{"kind": "case_logged", "delivery": "digest"}]}, format="json"
    )
    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "not_authenticated"
    assert not NotificationPreference.objects.exists()
