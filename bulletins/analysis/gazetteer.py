"""Place names: the one gazetteer of the archive (provinces, cities, counties and districts).

Two views of it: :data:`PROVINCES` and :data:`CITIES` (with their counties) are
what organisation names are resolved against (:mod:`.organisations`);
:data:`CITY_NAMES`, the short names of the prefecture-level cities across the
country, is what the parser looks for to tell which city a page is about.
Pure data and lookups: no jieba, no Django, cheap to import.
"""

from __future__ import annotations

from dataclasses import dataclass

# A compact gazetteer rather than cpca/jionlp: those bring pandas-sized data and a
# slow import into every worker for what is, here, a suffix lookup over a few hundred
# names. All 34 provincial-level divisions are listed with their short forms; the
# prefecture-level cities and the counties/districts are listed for 湖北, 浙江 and 河北
# (the seeds' provinces), plus the capitals and best-known cities elsewhere. Format:
# ``full|alias|alias`` — short forms without 市/省 are derived automatically for cities
# and county-level cities; counties and districts get only the aliases written here.
PROVINCES: dict[str, str] = {
    "北京": "北京市",
    "天津": "天津市",
    "河北": "河北省",
    "山西": "山西省",
    "内蒙古": "内蒙古自治区",
    "辽宁": "辽宁省",
    "吉林": "吉林省",
    "黑龙江": "黑龙江省",
    "上海": "上海市",
    "江苏": "江苏省",
    "浙江": "浙江省",
    "安徽": "安徽省",
    "福建": "福建省",
    "江西": "江西省",
    "山东": "山东省",
    "河南": "河南省",
    "湖北": "湖北省",
    "湖南": "湖南省",
    "广东": "广东省",
    "广西": "广西壮族自治区",
    "海南": "海南省",
    "重庆": "重庆市",
    "四川": "四川省",
    "贵州": "贵州省",
    "云南": "云南省",
    "西藏": "西藏自治区",
    "陕西": "陕西省",
    "甘肃": "甘肃省",
    "青海": "青海省",
    "宁夏": "宁夏回族自治区",
    "新疆": "新疆维吾尔自治区",
    "台湾": "台湾省",
    "香港": "香港特别行政区",
    "澳门": "澳门特别行政区",
}
# Red Cross societies whose name does not follow "<full name>红十字会".
_PROVINCE_RC_NAMES = {"香港": "香港红十字会", "澳门": "澳门红十字会", "台湾": ""}

CITIES: dict[str, dict[str, str]] = {
    "湖北": {
        "武汉市": "江岸区 江汉区 硚口区 汉阳区 武昌区 青山区 洪山区 东西湖区 汉南区 蔡甸区 江夏区 黄陂区 新洲区",
        "黄石市": "黄石港区 西塞山区 下陆区 铁山区 阳新县 大冶市",
        "十堰市": "茅箭区 张湾区 郧阳区 郧西县 竹山县 竹溪县 房县 丹江口市",
        "宜昌市": "西陵区 伍家岗区 点军区 猇亭区 夷陵区 远安县 兴山县 秭归县 "
        "长阳土家族自治县|长阳县 五峰土家族自治县|五峰县 宜都市 当阳市 枝江市",
        "襄阳市": "襄城区 樊城区 襄州区 南漳县 谷城县 保康县 老河口市 枣阳市 宜城市",
        "鄂州市": "梁子湖区 华容区 鄂城区",
        "荆门市": "东宝区 掇刀区 沙洋县 钟祥市 京山市",
        "孝感市": "孝南区 孝昌县 大悟县 云梦县 应城市 安陆市 汉川市",
        "荆州市": "沙市区 荆州区 公安县 江陵县 石首市 洪湖市 松滋市 监利市",
        "黄冈市": "黄州区 团风县 红安县 罗田县 英山县 浠水县 蕲春县 黄梅县 麻城市 武穴市",
        "咸宁市": "咸安区 嘉鱼县 通城县 崇阳县 通山县 赤壁市",
        "随州市": "曾都区 随县 广水市",
        "恩施土家族苗族自治州|恩施|恩施州": "恩施市 利川市 建始县 巴东县 宣恩县 咸丰县 来凤县 鹤峰县",
        "仙桃市": "",
        "潜江市": "",
        "天门市": "",
        "神农架林区|神农架|林区": "",
    },
    "浙江": {
        "杭州市": "上城区 下城区 江干区 拱墅区 西湖区 滨江区 萧山区 余杭区 临平区 钱塘区 富阳区 临安区 "
        "桐庐县 淳安县 建德市",
        "宁波市": "海曙区 江北区 北仑区 镇海区 鄞州区 奉化区 象山县 宁海县 余姚市 慈溪市",
        "温州市": "鹿城区 龙湾区 瓯海区 洞头区 永嘉县 平阳县 苍南县 文成县 泰顺县 瑞安市 乐清市 龙港市",
        "嘉兴市": "南湖区 秀洲区 嘉善县 海盐县 海宁市 平湖市 桐乡市",
        "湖州市": "吴兴区 南浔区 德清县 长兴县 安吉县",
        "绍兴市": "越城区 柯桥区 上虞区 新昌县 诸暨市 嵊州市",
        "金华市": "婺城区 金东区 武义县 浦江县 磐安县 兰溪市 义乌市 东阳市 永康市",
        "衢州市": "柯城区 衢江区 常山县 开化县 龙游县 江山市",
        "舟山市": "定海区 普陀区 岱山县 嵊泗县",
        "台州市": "椒江区 黄岩区 路桥区 三门县 天台县 仙居县 温岭市 临海市 玉环市",
        "丽水市": "莲都区 青田县 缙云县 遂昌县 松阳县 云和县 庆元县 景宁畲族自治县|景宁县 龙泉市",
    },
    "河北": {
        "石家庄市": "长安区 桥西区 新华区 井陉矿区 裕华区 藁城区 鹿泉区 栾城区 井陉县 正定县 行唐县 灵寿县 "
        "高邑县 深泽县 赞皇县 无极县 平山县 元氏县 赵县 辛集市 晋州市 新乐市",
        "唐山市": "路南区 路北区 古冶区 开平区 丰南区 丰润区 曹妃甸区 滦南县 乐亭县 迁西县 玉田县 遵化市 迁安市 滦州市",
        "秦皇岛市": "海港区 山海关区 北戴河区 抚宁区 青龙满族自治县 昌黎县 卢龙县",
        "邯郸市": "邯山区 丛台区 复兴区 峰峰矿区 肥乡区 永年区 武安市",
        "邢台市": "襄都区 信都区 任泽区 南和区 南宫市 沙河市",
        "保定市": "竞秀区 莲池区 满城区 清苑区 徐水区 涿州市 安国市 高碑店市 雄县 容城县 安新县",
        "张家口市": "桥东区 宣化区 下花园区 万全区 崇礼区",
        "承德市": "双桥区 双滦区 鹰手营子矿区 平泉市",
        "沧州市": "新华区 运河区 泊头市 任丘市 黄骅市 河间市",
        "廊坊市": "安次区 广阳区 霸州市 三河市",
        "衡水市": "桃城区 冀州区 深州市",
        "定州市": "",
    },
    "江苏": {"南京市": "", "苏州市": "", "无锡市": "", "常州市": "", "南通市": "", "扬州市": "", "徐州市": ""},
    "广东": {"广州市": "", "深圳市": "", "珠海市": "", "佛山市": "", "东莞市": ""},
    "山东": {"济南市": "", "青岛市": "", "烟台市": ""},
    "福建": {"福州市": "", "厦门市": "", "泉州市": ""},
    "四川": {"成都市": "", "绵阳市": ""},
    "河南": {"郑州市": "", "新乡市": "", "洛阳市": ""},
    "湖南": {"长沙市": ""},
    "安徽": {"合肥市": ""},
    "江西": {"南昌市": ""},
    "山西": {"太原市": ""},
    "陕西": {"西安市": ""},
    "辽宁": {"沈阳市": "", "大连市": ""},
    "吉林": {"长春市": ""},
    "黑龙江": {"哈尔滨市": ""},
    "广西": {"南宁市": ""},
    "海南": {"海口市": "", "三亚市": ""},
    "贵州": {"贵阳市": ""},
    "云南": {"昆明市": ""},
    "甘肃": {"兰州市": ""},
    "青海": {"西宁市": ""},
    "宁夏": {"银川市": ""},
    "新疆": {"乌鲁木齐市": ""},
    "内蒙古": {"呼和浩特市": ""},
    "西藏": {"拉萨市": ""},
}

NATIONAL_RC = "中国红十字会总会"


@dataclass(frozen=True)
class Place:
    full: str  # 湖北省, 十堰市, 恩施土家族苗族自治州, 上城区
    short: str  # 湖北, 十堰, 恩施, 上城
    level: str  # province | city | county
    province: str  # short province name
    city: str = ""  # full name of the parent city, for counties

    @property
    def rc_name(self) -> str:
        if self.level == "province":
            return _PROVINCE_RC_NAMES.get(self.short, self.full + "红十字会")
        return self.prefix + "红十字会"

    @property
    def prefix(self) -> str:
        """How an organisation of this place is named: districts carry their city (杭州市上城区)."""
        if self.level == "county" and self.city and self.full.endswith("区"):
            return self.city + self.full
        return self.full

    @property
    def rc_parent(self) -> str:
        if self.level == "province":
            return NATIONAL_RC
        if self.level == "city":
            return PROVINCE_PLACES[self.province].rc_name if self.province in PROVINCE_PLACES else ""
        if self.city and self.city in PLACES_BY_FULL:
            return PLACES_BY_FULL[self.city].rc_name
        return ""


PROVINCE_PLACES: dict[str, Place] = {}
PLACES_BY_FULL: dict[str, Place] = {}
ALIASES: dict[str, list[Place]] = {}
_ADMIN_SUFFIXES = ("自治区", "自治州", "自治县", "特别行政区", "林区", "矿区", "省", "市", "州", "县", "区")


def short_name(full: str) -> str:
    for suffix in _ADMIN_SUFFIXES:
        if full.endswith(suffix) and len(full) - len(suffix) >= 2:
            return full[: -len(suffix)]
    return full


def _register(place: Place, aliases: list[str]) -> None:
    PLACES_BY_FULL.setdefault(place.full, place)
    for alias in dict.fromkeys([place.full, *aliases]):
        bucket = ALIASES.setdefault(alias, [])
        if place not in bucket:
            bucket.append(place)


def _build_gazetteer() -> None:
    for short, full in PROVINCES.items():
        place = Place(full=full, short=short, level="province", province=short)
        PROVINCE_PLACES[short] = place
        _register(place, [short])
    for province, cities in CITIES.items():
        for city_spec, counties in cities.items():
            city_full, *city_aliases = city_spec.split("|")
            city_short = city_aliases[0] if city_aliases else short_name(city_full)
            city = Place(full=city_full, short=city_short, level="city", province=province)
            _register(city, [*city_aliases, short_name(city_full)])
            for spec in counties.split():
                full, *aliases = spec.split("|")
                derived = [short_name(full)] if full.endswith("市") else []
                county = Place(full=full, short=short_name(full), level="county", province=province, city=city_full)
                _register(county, [*aliases, *derived])


_build_gazetteer()
MAX_ALIAS = max(len(a) for a in ALIASES)


def lookup_place(name: str) -> Place | None:
    name = name.strip()
    for candidate in (name, name + "市", short_name(name)):
        places = ALIASES.get(candidate)
        if places:
            cities = [p for p in places if p.level != "county"]
            return (cities or places)[0]
    return None


# Short names of the prefecture-level cities, in the order the parser tries them.
_CITY_NAMES_TEXT = """
    石家庄 唐山 秦皇岛 邯郸 邢台 保定 张家口 承德 沧州 廊坊 衡水 太原 大同 阳泉 晋城 朔州 晋中 运城 忻州 临汾
    吕梁 呼和浩特 包头 乌海 赤峰 通辽 鄂尔多斯 呼伦贝尔 巴彦淖尔 乌兰察布 沈阳 大连 鞍山 抚顺 本溪 丹东 锦州 营口
    阜新 辽阳 盘锦 铁岭 葫芦岛 长春 四平 辽源 通化 松原 白城 哈尔滨 齐齐哈尔 鸡西 鹤岗 双鸭山 大庆 伊春 佳木斯
    七台河 牡丹江 黑河 绥化 南京 无锡 徐州 常州 苏州 南通 连云港 淮安 盐城 扬州 镇江 泰州 宿迁 杭州 宁波 温州
    嘉兴 湖州 绍兴 金华 衢州 舟山 台州 丽水 合肥 芜湖 蚌埠 淮南 马鞍山 淮北 铜陵 安庆 滁州 阜阳 宿州 六安 亳州
    池州 宣城 福州 厦门 莆田 三明 泉州 漳州 南平 龙岩 宁德 南昌 景德镇 萍乡 九江 新余 鹰潭 赣州 吉安 宜春 抚州
    上饶 济南 青岛 淄博 枣庄 东营 烟台 潍坊 济宁 泰安 威海 日照 临沂 德州 聊城 滨州 菏泽 郑州 开封 洛阳 平顶山
    安阳 鹤壁 新乡 焦作 濮阳 许昌 漯河 三门峡 南阳 商丘 信阳 周口 驻马店 济源 武汉 黄石 十堰 宜昌 襄阳 鄂州 荆门
    孝感 荆州 黄冈 咸宁 随州 恩施 仙桃 潜江 天门 长沙 株洲 湘潭 衡阳 邵阳 岳阳 常德 张家界 益阳 郴州 永州 怀化
    娄底 广州 韶关 深圳 珠海 汕头 佛山 江门 湛江 茂名 肇庆 惠州 梅州 汕尾 河源 阳江 清远 东莞 潮州 揭阳 云浮
    南宁 柳州 桂林 梧州 防城港 钦州 贵港 玉林 百色 贺州 河池 崇左 海口 三亚 儋州 成都 自贡 攀枝花 泸州 德阳
    绵阳 广元 遂宁 内江 乐山 南充 眉山 宜宾 广安 达州 雅安 巴中 资阳 贵阳 六盘水 遵义 安顺 毕节 铜仁 昆明 曲靖
    玉溪 保山 昭通 丽江 普洱 临沧 拉萨 日喀则 昌都 林芝 西安 铜川 宝鸡 咸阳 渭南 汉中 榆林 商洛 兰州 嘉峪关
    金昌 白银 天水 武威 张掖 平凉 酒泉 庆阳 定西 陇南 西宁 银川 石嘴山 吴忠 固原 中卫 乌鲁木齐 克拉玛依 吐鲁番
    哈密 北京 天津 上海 重庆"""
CITY_NAMES: tuple[str, ...] = tuple(_CITY_NAMES_TEXT.split())
# Ambiguous names left out on purpose: 来宾 (guests), 安康 (阖家安康), 长治 (长治久安), 朝阳, 延安 (延安精神).
