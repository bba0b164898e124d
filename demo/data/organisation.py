"""The demo's people and centres: the demo password, the district commissioners, the bureau
staff, the centres and their contact persons' titles."""

from centres.models import CentreType

DEMO_PASSWORD = "demo-commissioner-2026"

DISTRICTS_WITH_COMMISSIONERS = [
    "pudong",
    "xuhui",
    "minhang",
    "jingan",
    "changning",
    "jiading",
    "yangpu",
    "huangpu",
]

BUREAU_STAFF = [
    ("staff-commerce", "sh-commerce", "王", "Lei"),
    ("staff-science", "sh-science-technology", "李", "Na"),
    ("staff-customs", "sh-customs", "张", "Wei"),
    ("staff-pudong-gov", "pudong-government", "陈", "Jing"),
]

GLOBAL, REGIONAL, RD, PLATFORM = (
    CentreType.GLOBAL_RD_CENTRE,
    CentreType.REGIONAL_RD_CENTRE,
    CentreType.RD_CENTRE,
    CentreType.OPEN_INNOVATION_PLATFORM,
)

# English name, 中文名, parent company, country, district, type, fields, FTZ, Lingang, Zhangjiang,
# full-time R&D staff, total staff, recognised
# fmt: off
CENTRES = [
    ("Helvetia Biologics Shanghai R&D Centre", "赫尔维蒂亚生物上海研发中心", "Helvetia Biologics AG", "CH", "pudong", GLOBAL, ["biomedicine"], True, False, True, 420, 510, "2012-05-18"),
    ("Nordhavn Pharma China Innovation Centre", "诺德港制药中国创新中心", "Nordhavn Pharma A/S", "DK", "pudong", REGIONAL, ["biomedicine"], True, False, True, 180, 230, "2015-09-02"),
    ("Rheinwerk Automotive Asia R&D", "莱茵沃克汽车亚洲研发中心", "Rheinwerk Automotive GmbH", "DE", "jiading", REGIONAL, ["automotive", "new-energy"], False, False, False, 650, 820, "2010-03-11"),
    ("Lumen Semiconductor Shanghai Design Centre", "流明半导体上海设计中心", "Lumen Semiconductor Inc.", "US", "pudong", GLOBAL, ["semiconductors"], True, False, True, 95, 120, "2018-11-26"),
    ("Sakura Materials Shanghai Laboratory", "樱花材料上海实验室", "Sakura Materials Co., Ltd.", "JP", "minhang", RD, ["chemicals-materials"], False, False, False, 60, 85, "2013-07-01"),
    ("Maple Medical Devices China R&D", "枫叶医疗器械中国研发中心", "Maple Medical Devices Ltd.", "CA", "minhang", RD, ["medical-devices"], False, False, False, 42, 70, "2016-04-15"),
    ("Hanbit Electronics Shanghai Research Institute", "韩光电子上海研究院", "Hanbit Electronics Co., Ltd.", "KR", "xuhui", REGIONAL, ["software-ict", "artificial-intelligence"], False, False, False, 210, 260, "2011-10-20"),
    ("Gallia Cosmetics Asia Innovation Centre", "高卢化妆品亚洲创新中心", "Gallia Cosmetiques SA", "FR", "jingan", REGIONAL, ["consumer-goods"], False, False, False, 120, 160, "2014-06-30"),
    ("Orange Polder Food Science Centre", "橙圩食品科学中心", "Orange Polder Foods N.V.", "NL", "minhang", RD, ["food-nutrition"], False, False, False, 38, 55, "2017-02-14"),
    ("Thames Aero Engineering Shanghai", "泰晤士航空工程上海研发中心", "Thames Aero Engineering plc", "GB", "pudong", RD, ["aerospace", "advanced-manufacturing"], False, True, False, 75, 110, "2019-08-08"),
    ("Alpenglow Open Innovation Hub", "阿尔卑光开放创新平台", "Alpenglow Holding AG", "AT", "yangpu", PLATFORM, ["artificial-intelligence", "software-ict"], False, False, False, 25, 40, "2021-05-20"),
    ("Danube Industrial Automation R&D", "多瑙工业自动化研发中心", "Danube Automation Kft.", "HU", "jiading", RD, ["advanced-manufacturing"], False, False, False, 48, 90, "2018-01-22"),
    ("Fjord Energy Storage Laboratory", "峡湾储能实验室", "Fjord Energy ASA", "NO", "pudong", RD, ["new-energy"], False, True, False, 30, 45, "2022-03-03"),
    ("Taipei Precision Optics Shanghai R&D", "台北精密光学上海研发中心", "Precision Optics Corp.", "TW", "songjiang", RD, ["advanced-manufacturing"], False, False, False, 55, 140, "2012-12-12"),
    ("Victoria Harbour Fintech Lab", "维港金融科技实验室", "Harbour Digital Ltd.", "HK", "huangpu", RD, ["software-ict"], False, False, False, 35, 50, "2020-09-09"),
    ("Lion City Nutrition Asia Centre", "狮城营养亚洲研发中心", "Lion City Nutrition Pte. Ltd.", "SG", "changning", REGIONAL, ["food-nutrition", "biomedicine"], False, False, False, 66, 80, "2016-11-11"),
    ("Iberia Agritech Shanghai Station", "伊比利亚农业科技上海站", "Iberia Agritech S.L.", "ES", "fengxian", RD, ["agriculture"], False, False, False, 18, 30, "2019-04-04"),
    ("Medici Design and Materials Studio", "美第奇设计与材料工作室", "Medici Materiali S.p.A.", "IT", "xuhui", RD, ["chemicals-materials", "consumer-goods"], False, False, False, 22, 35, "2017-10-10"),
    ("Baltic Clean Air Technologies", "波罗的海洁净空气技术研发中心", "Baltic Clean Air AB", "SE", "qingpu", RD, ["environment"], False, False, False, 28, 44, "2018-06-06"),
    ("Celtic Genomics China Centre", "凯尔特基因组学中国中心", "Celtic Genomics Ltd.", "IE", "pudong", REGIONAL, ["biomedicine"], True, False, True, 140, 175, "2015-02-27"),
    ("Bavaria Motion Global R&D Centre", "巴伐利亚运动全球研发中心", "Bavaria Motion SE", "DE", "jiading", GLOBAL, ["automotive", "artificial-intelligence"], False, False, False, 880, 1050, "2009-09-19"),
    ("Pacific Cloud Shanghai AI Lab", "太平洋云上海人工智能实验室", "Pacific Cloud Corp.", "US", "xuhui", GLOBAL, ["artificial-intelligence", "software-ict"], False, False, False, 310, 360, "2017-07-07"),
    ("Kyoto Fine Chemicals Application Centre", "京都精细化工应用中心", "Kyoto Fine Chemicals K.K.", "JP", "jinshan", RD, ["chemicals-materials"], False, False, False, 44, 120, "2011-01-18"),
    ("Flanders Vaccines Research Centre", "佛兰德疫苗研究中心", "Flanders Vaccines NV", "BE", "pudong", GLOBAL, ["biomedicine"], True, False, True, 52, 70, "2020-12-01"),
    ("Helsinki Mobile Networks R&D", "赫尔辛基移动网络研发中心", "Helsinki Networks Oyj", "FI", "pudong", REGIONAL, ["software-ict"], True, False, False, 400, 450, "2008-05-05"),
    ("Zurich Robotics Open Platform", "苏黎世机器人开放创新平台", "Zurich Robotics AG", "CH", "minhang", PLATFORM, ["advanced-manufacturing", "artificial-intelligence"], False, False, False, 34, 48, "2022-08-18"),
    ("Lyon Diagnostics China Lab", "里昂诊断中国实验室", "Lyon Diagnostics SA", "FR", "changning", RD, ["medical-devices", "biomedicine"], False, False, False, 27, 40, "2019-11-19"),
    ("Seoul Battery Materials Institute", "首尔电池材料研究院", "Seoul Battery Materials Co., Ltd.", "KR", "pudong", RD, ["new-energy", "chemicals-materials"], False, True, False, 90, 130, "2021-01-25"),
    ("Copenhagen Enzymes Asia Centre", "哥本哈根酶制剂亚洲中心", "Copenhagen Enzymes A/S", "DK", "minhang", REGIONAL, ["food-nutrition", "environment"], False, False, False, 100, 125, "2013-03-30"),
    ("Oxford Instruments Shanghai Application Lab", "牛津仪器上海应用实验室", "Oxbridge Scientific plc", "GB", "yangpu", RD, ["advanced-manufacturing"], False, False, False, 20, 32, "2018-09-28"),
    ("Texas Chips Automotive Electronics Centre", "德州芯片汽车电子中心", "Texas Chips Inc.", "US", "pudong", RD, ["semiconductors", "automotive"], True, False, True, 160, 190, "2014-10-16"),
    ("Utrecht Life Sciences Incubator", "乌得勒支生命科学孵化平台", "Utrecht Life Sciences B.V.", "NL", "xuhui", PLATFORM, ["biomedicine"], False, False, False, 15, 26, "2023-02-20"),
    ("Munich Industrial Software Centre", "慕尼黑工业软件中心", "Munich Industrial Software GmbH", "DE", "jingan", RD, ["software-ict", "advanced-manufacturing"], False, False, False, 70, 85, "2016-06-16"),
    ("Osaka Home Appliances Design Centre", "大阪家电设计中心", "Osaka Home Appliances Co.", "JP", "changning", RD, ["consumer-goods"], False, False, False, 58, 90, "2012-08-21"),
    ("Sydney Marine Biotech Lab", "悉尼海洋生物技术实验室", "Sydney Marine Biotech Pty Ltd", "AU", "chongming", RD, ["biomedicine", "agriculture"], False, False, False, 12, 20, "2020-05-15"),
    ("Lisbon Green Hydrogen Research", "里斯本绿氢研究中心", "Lisbon Green Energy S.A.", "PT", "pudong", RD, ["new-energy"], False, True, False, 26, 38, "2023-07-03"),
]
# fmt: on

CONTACT_TITLES = [("研发总监", "R&D Director"), ("政府事务经理", "Government Affairs Manager")]

DEMO_CASE_USERS = [
    "city",
    *(f"dc-{code}" for code in DISTRICTS_WITH_COMMISSIONERS),
    *(u[0] for u in BUREAU_STAFF),
]
STAFF_BY_BUREAU = {bureau_code: username for username, bureau_code, *_ in BUREAU_STAFF}
