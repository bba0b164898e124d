"""Reference data: Shanghai's districts, their governments, the city bureaus and
the national departments named by the two policy programmes.

Loaded once; administrators maintain the rows in the Django admin afterwards.
Rows that already exist (matched by code) are left as they are.
"""

from django.db import migrations

# code, 中文, English
DISTRICTS = [
    ("huangpu", "黄浦区", "Huangpu"),
    ("xuhui", "徐汇区", "Xuhui"),
    ("changning", "长宁区", "Changning"),
    ("jingan", "静安区", "Jing'an"),
    ("putuo", "普陀区", "Putuo"),
    ("hongkou", "虹口区", "Hongkou"),
    ("yangpu", "杨浦区", "Yangpu"),
    ("minhang", "闵行区", "Minhang"),
    ("baoshan", "宝山区", "Baoshan"),
    ("jiading", "嘉定区", "Jiading"),
    ("pudong", "浦东新区", "Pudong New Area"),
    ("jinshan", "金山区", "Jinshan"),
    ("songjiang", "松江区", "Songjiang"),
    ("qingpu", "青浦区", "Qingpu"),
    ("fengxian", "奉贤区", "Fengxian"),
    ("chongming", "崇明区", "Chongming"),
]

# Pudong's government is also the Free Trade Zone administration, named so in Measure 4.
DISTRICT_GOVERNMENT_NAMES = {
    "pudong": (
        "浦东新区政府(上海自贸试验区管委会)",
        "Pudong New Area Government (Shanghai Pilot Free Trade Zone Administration)",
    ),
}

CITY_BUREAUS = [
    ("sh-science-technology", "市科委", "Shanghai Municipal Science and Technology Commission"),
    ("sh-finance", "市财政局", "Shanghai Municipal Finance Bureau"),
    ("sh-tax", "市税务局", "Shanghai Municipal Tax Service"),
    ("sh-economy-informatization", "市经济信息化委", "Shanghai Municipal Commission of Economy and Informatization"),
    ("sh-human-resources", "市人力资源社会保障局", "Shanghai Municipal Human Resources and Social Security Bureau"),
    ("sh-customs", "上海海关", "Shanghai Customs"),
    ("sh-medical-products", "市药品监管局", "Shanghai Medical Products Administration"),
    ("sh-commerce", "市商务委", "Shanghai Municipal Commission of Commerce"),
    ("sh-cyberspace", "市委网信办", "Shanghai Cyberspace Affairs Office"),
    ("lingang-administration", "临港新片区管委会", "Lingang Special Area Administration"),
    ("pbc-shanghai", "中国人民银行上海总部", "People's Bank of China Shanghai Head Office"),
    ("nfra-shanghai", "金融监管总局上海监管局", "National Financial Regulatory Administration Shanghai Office"),
    ("csrc-shanghai", "上海证监局", "China Securities Regulatory Commission Shanghai Bureau"),
    ("sh-intellectual-property", "市知识产权局", "Shanghai Intellectual Property Administration"),
    ("sh-high-court", "市高院", "Shanghai High People's Court"),
    ("sh-talent", "市人才局", "Shanghai Municipal Talent Work Bureau"),
    ("sh-education", "市教委", "Shanghai Municipal Education Commission"),
    ("sh-foreign-affairs", "市政府外办", "Foreign Affairs Office of the Shanghai Municipal Government"),
    ("sh-exit-entry", "市出入境管理局", "Shanghai Exit-Entry Administration Bureau"),
    # The national measures name "provincial governments"; for Shanghai that is the city government.
    ("sh-government", "上海市人民政府", "Shanghai Municipal People's Government"),
]

NATIONAL_DEPARTMENTS = [
    ("most", "科技部", "Ministry of Science and Technology"),
    ("mof", "财政部", "Ministry of Finance"),
    ("mofcom", "商务部", "Ministry of Commerce"),
    ("sta", "税务总局", "State Taxation Administration"),
    ("gacc", "海关总署", "General Administration of Customs"),
    ("moe", "教育部", "Ministry of Education"),
    ("mohrss", "人力资源社会保障部", "Ministry of Human Resources and Social Security"),
    ("pbc", "人民银行", "People's Bank of China"),
    ("cbirc", "银保监会", "China Banking and Insurance Regulatory Commission"),
    ("cac", "中央网信办", "Office of the Central Cyberspace Affairs Commission"),
    ("miit", "工业和信息化部", "Ministry of Industry and Information Technology"),
    ("mps", "公安部", "Ministry of Public Security"),
    ("cnipa", "国家知识产权局", "China National Intellectual Property Administration"),
    ("mara", "农业农村部", "Ministry of Agriculture and Rural Affairs"),
    ("mfa", "外交部", "Ministry of Foreign Affairs"),
    ("nia", "国家移民局", "National Immigration Administration"),
    ("safe", "国家外汇局", "State Administration of Foreign Exchange"),
    ("spc", "最高人民法院", "Supreme People's Court"),
    ("spp", "最高人民检察院", "Supreme People's Procuratorate"),
    ("moj", "司法部", "Ministry of Justice"),
    ("samr", "市场监管总局", "State Administration for Market Regulation"),
    ("publicity-department", "中央宣传部", "Publicity Department of the CPC Central Committee"),
]


def load(apps, schema_editor):
    District = apps.get_model("commissioners", "District")
    Bureau = apps.get_model("commissioners", "Bureau")
    for order, (code, name_zh, name_en) in enumerate(DISTRICTS, start=1):
        district, _ = District.objects.get_or_create(
            code=code, defaults={"name_zh": name_zh, "name_en": name_en, "order": order}
        )
        gov_zh, gov_en = DISTRICT_GOVERNMENT_NAMES.get(code, (f"{name_zh}政府", f"{name_en} District Government"))
        Bureau.objects.get_or_create(
            code=f"{code}-government",
            defaults={"name_zh": gov_zh, "name_en": gov_en, "level": "district_government", "district": district},
        )
    for level, rows in (("city", CITY_BUREAUS), ("national", NATIONAL_DEPARTMENTS)):
        for code, name_zh, name_en in rows:
            Bureau.objects.get_or_create(code=code, defaults={"name_zh": name_zh, "name_en": name_en, "level": level})


class Migration(migrations.Migration):
    dependencies = [("commissioners", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
