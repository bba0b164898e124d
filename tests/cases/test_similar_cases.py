"""Similar cases (共性问题 candidates): the same measure, a title or description that reads alike
(trigram similarity, Chinese included), most alike first, among the cases the user may see."""

import pytest

from cases.models import Case
from commissioners.models import Role
from policies.models import Measure
from tests.factories import CentreFactory, UserFactory, district

pytestmark = pytest.mark.django_db


def measure(number: int) -> Measure:
    return Measure.objects.get(programme="shanghai_2024", number=number)


@pytest.fixture
def log(xuhui_commissioner, pudong_commissioner):
    commissioners = {"xuhui": xuhui_commissioner, "pudong": pudong_commissioner}

    def make(title: str, *, where: str = "xuhui", number: int = 3, description: str = "", **fields) -> Case:
        centre = CentreFactory(district=district(where), commissioner=commissioners[where])
        return Case.objects.create(
            centre=centre,
            district=centre.district,
            measure=measure(number),
            title=title,
            description=description or title,
            created_by=commissioners[where],
            **fields,
        )

    return make


def test_cases_that_read_alike_under_the_same_measure_are_suggested_most_alike_first(
    log, client_for, city_commissioner, django_assert_max_num_queries
):
    held = log("科研试剂在海关滞留，通关时间过长")
    closest = log("科研试剂在海关滞留，通关时间太长", where="pudong")
    close = log("进口科研试剂通关慢", description="科研试剂在海关滞留两周")
    log("科研试剂在海关滞留，通关时间过长", number=7)  # the same words under another measure
    log("外籍员工工作许可办理困难")  # the same measure, another matter

    client = client_for(city_commissioner)
    with django_assert_max_num_queries(8):
        answer = client.get(f"/api/cases/{held.pk}/similar/")
    assert answer.status_code == 200, answer.content
    rows = answer.json()
    assert [row["id"] for row in rows] == [closest.pk, close.pk]
    assert rows[0]["similarity"] > rows[1]["similarity"] >= 0.2
    assert rows[0]["district"] == "pudong" and rows[0]["centre_name"]


def test_only_cases_the_user_may_see_are_suggested(log, client_for, xuhui_commissioner):
    held = log("研发数据跨境传输需要安全评估", number=4)
    log("研发数据跨境传输需要安全评估吗", where="pudong", number=4)  # another district's
    secret = log("研发数据跨境传输需要安全评估", number=4, is_confidential=True)
    Case.objects.filter(pk=secret.pk).update(
        created_by=UserFactory(role=Role.DISTRICT_COMMISSIONER, district=district("xuhui"))
    )

    rows = client_for(xuhui_commissioner).get(f"/api/cases/{held.pk}/similar/").json()
    assert rows == []
    assert client_for(xuhui_commissioner).get(f"/api/cases/{held.pk + 1}/similar/").status_code == 404


def test_the_list_search_finds_chinese_words_inside_a_title(log, client_for, city_commissioner):
    wanted = log("临港新片区数据出境清单咨询", number=4)
    log("外籍员工工作许可办理困难", number=7)
    found = client_for(city_commissioner).get("/api/cases/", {"search": "数据出境"}).json()["results"]
    assert [row["id"] for row in found] == [wanted.pk]
