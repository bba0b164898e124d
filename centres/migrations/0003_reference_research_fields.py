"""Reference data: the fields of research centres report. Loaded once; edited in the admin."""

from django.db import migrations

FIELDS = [
    ("biomedicine", "生物医药", "Biomedicine"),
    ("medical-devices", "医疗器械", "Medical devices"),
    ("semiconductors", "集成电路", "Semiconductors"),
    ("artificial-intelligence", "人工智能", "Artificial intelligence"),
    ("software-ict", "软件和信息通信", "Software and ICT"),
    ("automotive", "汽车及零部件", "Automotive"),
    ("new-energy", "新能源", "New energy"),
    ("chemicals-materials", "化工与新材料", "Chemicals and materials"),
    ("consumer-goods", "消费品", "Consumer goods"),
    ("food-nutrition", "食品与营养", "Food and nutrition"),
    ("advanced-manufacturing", "高端装备制造", "Advanced manufacturing"),
    ("aerospace", "航空航天", "Aerospace"),
    ("agriculture", "现代农业", "Agriculture"),
    ("environment", "节能环保", "Environmental technology"),
]


def load(apps, schema_editor):
    ResearchField = apps.get_model("centres", "ResearchField")
    for code, name_zh, name_en in FIELDS:
        ResearchField.objects.get_or_create(code=code, defaults={"name_zh": name_zh, "name_en": name_en})


class Migration(migrations.Migration):
    dependencies = [("centres", "0002_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
