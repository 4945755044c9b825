"""The demo publication: the Meridian Institute, a fictional think tank.

Ten analyses in English, Turkish and Russian, with their authors, tags, footnotes and the
sources those footnotes cite. The data is plain and frozen; ``publishing.demo.seed`` loads
it into a database, and ``validate()`` checks the rules the seed relies on.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Literal


@dataclass(frozen=True, slots=True)
class DemoSource:
    key: str  # local identifier, referenced by footnotes
    title: str
    publisher: str | None
    url: str | None  # absolute https URL
    accessed_on: date | None  # in the past


@dataclass(frozen=True, slots=True)
class DemoFootnote:
    key: str  # the [^key] used in the body; [A-Za-z0-9][A-Za-z0-9_-]*
    content: str  # Markdown, one or two sentences in the version's language
    source: str | None = None  # DemoSource.key


@dataclass(frozen=True, slots=True)
class DemoVersion:
    language: str  # "en", "tr" or "ru"
    slug: str  # lowercase ascii, digits, hyphens; unique per language across ALL stories
    title: str
    subtitle: str | None
    excerpt: str
    body: str  # Markdown with [^key] references, each matching one footnote
    footnotes: tuple[DemoFootnote, ...] = ()
    status: Literal["published", "draft", "archived"] = "published"
    # Days before "now" at seeding; negative = scheduled in the future; None for drafts.
    published_days_ago: int | None = 30
    numbering_style: Literal["ARABIC", "ROMAN"] = "ARABIC"
    translators: tuple[str, ...] = ()  # author slugs credited as TRANSLATOR on this version
    # Translated from the original's earlier_body, so it is now out of date.
    from_earlier_revision: bool = False


@dataclass(frozen=True, slots=True)
class DemoStory:
    key: str
    authors: tuple[str, ...]  # author slugs, in credit order
    tags: tuple[str, ...]  # tag slugs
    versions: tuple[DemoVersion, ...]  # versions[0] is the original
    # An earlier revision of the ORIGINAL's body (same footnote keys), set only when a
    # version has from_earlier_revision=True.
    earlier_body: str | None = None


@dataclass(frozen=True, slots=True)
class DemoAuthor:
    slug: str
    name: str
    avatar_url: str | None
    bios: Mapping[str, str]  # language -> Markdown bio


@dataclass(frozen=True, slots=True)
class DemoTag:
    slug: str
    names: Mapping[str, str]  # language -> name, for en, tr, ru


SITE_NAME = "Meridian Institute"
# The site's title and description per language (feeds, the home page's head).
SITE_TEXTS: Mapping[str, tuple[str, str]] = {
    "en": ("Meridian Institute", "Analysis of energy, security and economic policy."),
    "tr": ("Meridian Enstitüsü", "Enerji, güvenlik ve ekonomi politikası analizleri."),
    "ru": ("Институт «Меридиан»", "Аналитика по энергетике, безопасности и экономике."),
}

LANGUAGES: tuple[str, ...] = ("en", "tr", "ru")


def _md(text: str) -> str:
    """An indented triple-quoted block as Markdown: common indentation and outer blank
    lines removed."""
    return inspect.cleandoc(text)


def _langs(**texts: str) -> Mapping[str, str]:
    return MappingProxyType(texts)


# --------------------------------------------------------------------------------------
# Sources
# --------------------------------------------------------------------------------------

SOURCES: tuple[DemoSource, ...] = (
    DemoSource(
        key="iaea-safeguards",
        title="IAEA Safeguards Explained",
        publisher="International Atomic Energy Agency",
        url="https://www.iaea.org/topics/safeguards-explained",
        accessed_on=date(2025, 3, 11),
    ),
    DemoSource(
        key="sipri-yearbook",
        title="SIPRI Yearbook 2025: Armaments, Disarmament and International Security",
        publisher="Stockholm International Peace Research Institute",
        url="https://www.sipri.org/yearbook/2025",
        accessed_on=date(2025, 7, 2),
    ),
    DemoSource(
        key="unoda-npt",
        title="Treaty on the Non-Proliferation of Nuclear Weapons (NPT)",
        publisher="United Nations Office for Disarmament Affairs",
        url="https://disarmament.unoda.org/wmd/nuclear/npt/",
        accessed_on=date(2025, 2, 18),
    ),
    DemoSource(
        key="iea-gas-market",
        title="Gas Market Report, Q1-2025",
        publisher="International Energy Agency",
        url="https://www.iea.org/reports/gas-market-report-q1-2025",
        accessed_on=date(2025, 2, 20),
    ),
    DemoSource(
        key="epdk-gas-report",
        title="Natural Gas Market Sector Report 2024",
        publisher="Energy Market Regulatory Authority (EPDK)",
        url="https://www.epdk.gov.tr/Detay/Icerik/3-0-94/dogal-gazyillik-sektor-raporu",
        accessed_on=date(2025, 4, 9),
    ),
    DemoSource(
        key="eu-cbam",
        title="Regulation (EU) 2023/956 establishing a carbon border adjustment mechanism",
        publisher="Publications Office of the European Union",
        url="https://eur-lex.europa.eu/eli/reg/2023/956/oj",
        accessed_on=date(2025, 1, 14),
    ),
    DemoSource(
        key="ipcc-ar6",
        title="Climate Change 2023: Synthesis Report",
        publisher="Intergovernmental Panel on Climate Change",
        url="https://www.ipcc.ch/report/ar6/syr/",
        accessed_on=date(2025, 1, 20),
    ),
    DemoSource(
        key="unhcr-global-trends",
        title="Global Trends: Forced Displacement in 2024",
        publisher="UNHCR, the UN Refugee Agency",
        url="https://www.unhcr.org/global-trends",
        accessed_on=date(2025, 6, 16),
    ),
    DemoSource(
        key="eu-turkey-statement",
        title="EU-Turkey statement, 18 March 2016",
        publisher="Council of the European Union",
        url=(
            "https://www.consilium.europa.eu/en/press/press-releases/2016/03/18/"
            "eu-turkey-statement/"
        ),
        accessed_on=date(2025, 5, 5),
    ),
    DemoSource(
        key="imf-weo",
        title="World Economic Outlook, April 2025",
        publisher="International Monetary Fund",
        url=(
            "https://www.imf.org/en/Publications/WEO/Issues/2025/04/22/"
            "world-economic-outlook-april-2025"
        ),
        accessed_on=date(2025, 4, 25),
    ),
    DemoSource(
        key="kvkk-law",
        title="Law on the Protection of Personal Data No. 6698",
        publisher="Personal Data Protection Authority (KVKK)",
        url="https://www.kvkk.gov.tr/Icerik/6649/Personal-Data-Protection-Law",
        accessed_on=date(2025, 3, 27),
    ),
    DemoSource(
        key="freedom-on-the-net",
        title="Freedom on the Net 2024: Türkiye",
        publisher="Freedom House",
        url="https://freedomhouse.org/country/turkey/freedom-net/2024",
        accessed_on=date(2025, 1, 9),
    ),
    DemoSource(
        key="mgm-drought",
        title="Meteorological Drought Analysis",
        publisher="Turkish State Meteorological Service",
        url="https://www.mgm.gov.tr/veridegerlendirme/kuraklik-analizi.aspx",
        accessed_on=date(2025, 8, 12),
    ),
)


# --------------------------------------------------------------------------------------
# Authors
# --------------------------------------------------------------------------------------

_ELIF_BIO_EN = _md(
    """
    Elif Aydın is a senior fellow at the Meridian Institute, where she leads the programme
    on energy and foreign policy. Her work focuses on natural gas markets in south-eastern
    Europe, Türkiye's relations with the European Union, and the ways in which energy
    infrastructure shapes diplomatic choices across the Black Sea and the eastern
    Mediterranean.

    Before joining the Institute she spent eight years in the private sector, first as a
    market analyst for a gas trading company in Istanbul and later as an adviser on
    regulatory affairs to a consortium developing liquefied natural gas import capacity.
    That experience left her with a lasting interest in the unglamorous details — tariff
    codes, capacity auctions, balancing rules — that decide whether an ambitious energy
    strategy works in practice.

    Elif holds a degree in economics from Boğaziçi University and a master's degree in
    international political economy from the London School of Economics. She has given
    evidence to parliamentary committees in Ankara and Brussels and regularly briefs
    diplomats and journalists on regional energy security. Her commentary has appeared in
    Turkish, English and German-language media, and she often moderates the Institute's
    public events.

    At Meridian she also coordinates the **Regional Energy Dialogue**, a closed-door forum
    that brings together regulators, network operators and traders from Türkiye, the
    Balkans and the South Caucasus twice a year. Summaries of its discussions are published
    on the [energy programme's page](https://meridian.example.org/programmes/energy).

    Her recent research has examined how floating regasification units shifted bargaining
    power between importers and suppliers in the region, how gas storage rules could be
    opened to cross-border traders, and what the European Union's methane regulation will
    mean for companies supplying Türkiye and the Balkans. She is now writing a short book on
    the politics of energy interdependence around the Black Sea, which the Institute will
    publish in English and Turkish.

    When she is not reading regulatory filings, Elif is an enthusiastic long-distance
    swimmer and has crossed the Bosphorus in the annual intercontinental race more than
    once. She lives in Istanbul with two cats and far too many books about pipelines.
    """
)

AUTHORS: tuple[DemoAuthor, ...] = (
    DemoAuthor(
        slug="elif-aydin",
        name="Elif Aydın",
        avatar_url="https://images.example.org/authors/elif-aydin.jpg",
        bios=_langs(
            en=_ELIF_BIO_EN,
            tr=(
                "Elif Aydın, Meridian Enstitüsü'nde kıdemli araştırmacı ve enerji ile dış "
                "politika programının yöneticisidir. Güneydoğu Avrupa doğal gaz piyasaları, "
                "Türkiye–AB ilişkileri ve enerji altyapısının diplomatik tercihler "
                "üzerindeki etkisi üzerine çalışıyor. Boğaziçi Üniversitesi'nde ekonomi "
                "okudu; İstanbul'da yaşıyor."
            ),
            ru=(
                "Элиф Айдын — старший научный сотрудник Института «Меридиан», руководитель "
                "программы по энергетике и внешней политике. Занимается газовыми рынками "
                "Юго-Восточной Европы, отношениями Турции и ЕС и тем, как энергетическая "
                "инфраструктура влияет на дипломатические решения. Живёт в Стамбуле."
            ),
        ),
    ),
    DemoAuthor(
        slug="irina-sokolova",
        name="Irina Sokolova",
        avatar_url="https://images.example.org/authors/irina-sokolova.jpg",
        bios=_langs(
            en=(
                "Irina Sokolova is a fellow at the Meridian Institute working on arms "
                "control, nuclear non-proliferation and European security. She previously "
                "taught non-proliferation law to young diplomats from Central Asia at a "
                "research centre in Almaty, and holds a doctorate in international "
                "relations. She writes on strategic stability, *verification* and the NPT "
                "review process."
            ),
            ru=(
                "Ирина Соколова — научный сотрудник Института «Меридиан», специалист по "
                "контролю над вооружениями, ядерному нераспространению и европейской "
                "безопасности. Ранее преподавала право нераспространения молодым дипломатам "
                "из Центральной Азии в исследовательском центре в Алматы. Имеет докторскую "
                "степень по международным отношениям; пишет о стратегической стабильности, "
                "*проверке* и обзорном процессе ДНЯО."
            ),
            tr=(
                "Irina Sokolova, Meridian Enstitüsü'nde silah kontrolü, nükleer silahların "
                "yayılmasının önlenmesi ve Avrupa güvenliği üzerine çalışan bir "
                "araştırmacıdır. Daha önce Almatı'da bir araştırma merkezinde Orta Asyalı "
                "genç diplomatlara nükleer silahların yayılmasını önleme hukuku dersleri verdi."
            ),
        ),
    ),
    DemoAuthor(
        slug="hannah-mercer",
        name="Hannah Mercer",
        avatar_url="https://images.example.org/authors/hannah-mercer.jpg",
        bios=_langs(
            en=(
                "Hannah Mercer is a senior economist at the Meridian Institute. She works on "
                "macroeconomic policy in emerging markets, the economics of climate change "
                "and migration, and the regulation of digital platforms. Before joining the "
                "Institute she covered Türkiye and the Western Balkans as an economist at a "
                "development bank in London. She is learning Turkish, slowly and with "
                "enthusiasm."
            ),
            tr=(
                "Hannah Mercer, Meridian Enstitüsü'nde kıdemli ekonomisttir. Gelişmekte olan "
                "piyasalarda makroekonomi politikası, iklim değişikliği ve göçün ekonomisi "
                "ile dijital platformların düzenlenmesi üzerine çalışıyor. Enstitü'ye "
                "katılmadan önce Londra'da bir kalkınma bankasında Türkiye ve Batı "
                "Balkanlar'dan sorumlu ekonomist olarak görev yaptı."
            ),
        ),
    ),
    DemoAuthor(
        slug="nadia-karaman",
        name="Nadia Karaman",
        avatar_url=None,
        bios=_langs(
            en=(
                "Nadia Karaman is the Meridian Institute's translation editor. She "
                "translates the Institute's analyses between English, Turkish and Russian "
                "and keeps its multilingual style guide. She studied translation at "
                "Hacettepe University in Ankara and worked as a conference interpreter "
                "before joining the Institute."
            ),
            tr=(
                "Nadia Karaman, Meridian Enstitüsü'nün çeviri editörüdür. Enstitü'nün "
                "analizlerini İngilizce, Türkçe ve Rusça arasında çeviriyor ve çok dilli "
                "yazım kılavuzunu yönetiyor. Ankara'da Hacettepe Üniversitesi'nde "
                "mütercim-tercümanlık okudu; Enstitü'ye katılmadan önce konferans tercümanı "
                "olarak çalıştı."
            ),
            ru=(
                "Надя Караман — редактор переводов Института «Меридиан». Переводит "
                "аналитические материалы института между английским, турецким и русским "
                "языками и ведёт его многоязычное руководство по стилю. Изучала перевод в "
                "университете Хаджеттепе в Анкаре, до прихода в институт работала "
                "синхронным переводчиком на конференциях."
            ),
        ),
    ),
)


# --------------------------------------------------------------------------------------
# Tags
# --------------------------------------------------------------------------------------

TAGS: tuple[DemoTag, ...] = (
    DemoTag(
        "foreign-policy",
        _langs(en="Foreign Policy", tr="Dış Politika", ru="Внешняя политика"),
    ),
    DemoTag("energy", _langs(en="Energy", tr="Enerji", ru="Энергетика")),
    DemoTag(
        "arms-control",
        _langs(en="Arms Control", tr="Silah Kontrolü", ru="Контроль над вооружениями"),
    ),
    DemoTag("migration", _langs(en="Migration", tr="Göç", ru="Миграция")),
    DemoTag("climate", _langs(en="Climate", tr="İklim", ru="Климат")),
    DemoTag("economics", _langs(en="Economics", tr="Ekonomi", ru="Экономика")),
    DemoTag(
        "digital-rights",
        _langs(en="Digital Rights", tr="Dijital Haklar", ru="Цифровые права"),
    ),
)


# --------------------------------------------------------------------------------------
# Story 1: Türkiye's gas hub (English original, Turkish and Russian translations)
# --------------------------------------------------------------------------------------

_GAS_HUB_EN = _md(
    """
    Ankara has spent the better part of a decade promising that Türkiye will become a
    *natural gas hub*: a place where gas from Russia, Azerbaijan, Iran and the global LNG
    market is not merely carried through but traded. The physical pieces are largely in
    place. The harder question is whether a hub can exist without a price that buyers and
    sellers outside Türkiye are willing to trust.

    ## What has been built

    Over the past ten years Türkiye has quietly assembled one of the most flexible import
    systems in Europe. Regasification capacity, much of it on floating units moored off the
    Aegean and Mediterranean coasts, can now cover a large share of peak winter demand on its
    own[^epdk]. Pipelines run east to the Caspian and north under the Black Sea, and the
    domestic Sakarya field has begun to add volumes of its own.

    That flexibility paid off during the European price shock of 2022, when Turkish buyers
    could switch between pipeline gas and spot cargoes as prices moved[^iea]. Few of
    Türkiye's neighbours had the same room for manoeuvre.

    ## What a hub actually requires

    A hub is a market, not a map. Traders elsewhere — Amsterdam's TTF being the obvious
    benchmark — rely on a few conditions that Türkiye does not yet fully meet:

    - **Third-party access** to pipelines, terminals and storage on published,
      non-discriminatory terms;
    - **A liquid exchange**, where enough independent buyers and sellers trade that no single
      company can move the price;
    - **Regulatory distance**, so that the state-owned incumbent, BOTAŞ, is one participant
      among many rather than the author of the market[^liquidity].

    Storage is a case in point. Türkiye has expanded its underground capacity at Silivri and
    Lake Tuz, yet access to it is still allocated largely through the incumbent[^storage].
    Until a trader in Sofia or Athens can book capacity on the same terms as a Turkish
    distributor, the hub remains a national balancing system with regional ambitions.

    ## The geopolitical wager

    The hub idea also carries a political bet. Moscow has promoted a Turkish "gas hub" as a
    way to keep Russian gas flowing to southern Europe under a different label. Brussels,
    for the same reason, treats the idea with suspicion. Ankara's task is to show that the
    origin of gas can be traced, and that European buyers are not importing sanctions risk
    along with their molecules[^iea].

    ## Recommendations

    1. Publish tariffs and capacity allocation rules for storage and LNG terminals.
    2. Deepen the organised gas market run by the energy exchange, EPİAŞ, with forward
       products and a reference price that is also published in English.
    3. Agree certificates of origin with the European Commission before a crisis forces the
       question.

    None of this requires new pipelines. It requires the harder work of letting go.
    """
)

_GAS_HUB_TR = _md(
    """
    Ankara yaklaşık on yıldır Türkiye'nin bir *doğal gaz ticaret merkezi* olacağını, yani
    Rusya'dan, Azerbaycan'dan, İran'dan ve küresel LNG piyasasından gelen gazın yalnızca
    taşınmayacağı, aynı zamanda alınıp satılacağı bir yer haline geleceğini söylüyor.
    Fiziksel altyapının büyük kısmı hazır. Daha zor soru şu: Türkiye dışındaki alıcı ve
    satıcıların güvenebileceği bir fiyat oluşmadan bir merkez var olabilir mi?

    ## Neler inşa edildi?

    Türkiye son on yılda Avrupa'nın en esnek ithalat sistemlerinden birini sessiz sedasız
    kurdu. Büyük bölümü Ege ve Akdeniz kıyılarında demirli yüzer ünitelerden oluşan yeniden
    gazlaştırma kapasitesi, kış dönemindeki zirve talebin önemli bir kısmını tek başına
    karşılayabiliyor[^epdk]. Boru hatları doğuda Hazar'a, kuzeyde Karadeniz'in altından
    uzanıyor; yerli Sakarya sahası da kendi üretimini eklemeye başladı.

    Bu esneklik 2022'deki Avrupa fiyat şokunda karşılığını verdi: Türk alıcılar, fiyatlar
    değiştikçe boru hattı gazı ile spot kargolar arasında geçiş yapabildi[^iea]. Türkiye'nin
    komşularının çok azı aynı manevra alanına sahipti.

    ## Bir merkez aslında neye ihtiyaç duyar?

    Merkez bir harita değil, bir piyasadır. Başka yerlerdeki tüccarlar — en bilinen referans
    Amsterdam'daki TTF — Türkiye'nin henüz tam olarak karşılamadığı birkaç koşula dayanır:

    - Boru hatlarına, terminallere ve depolara, yayımlanmış ve ayrımcı olmayan koşullarla
      **üçüncü taraf erişimi**;
    - Hiçbir şirketin fiyatı tek başına belirleyemeyeceği kadar çok bağımsız alıcı ve
      satıcının işlem yaptığı **likit bir borsa**;
    - Kamuya ait BOTAŞ'ın piyasanın yazarı değil, birçok katılımcıdan biri olmasını
      sağlayan **düzenleyici mesafe**[^liquidity].

    Depolama bunun iyi bir örneği. Türkiye, Silivri ve Tuz Gölü'ndeki yeraltı kapasitesini
    genişletti; ancak bu kapasiteye erişim hâlâ büyük ölçüde BOTAŞ üzerinden
    dağıtılıyor[^storage]. Sofya ya da Atina'daki bir tüccar, bir Türk dağıtım şirketiyle
    aynı koşullarda kapasite ayıramadığı sürece merkez, bölgesel hedefleri olan ulusal bir
    dengeleme sistemi olarak kalacak.

    ## Jeopolitik bahis

    Merkez fikri siyasi bir bahsi de içeriyor. Moskova, Rus gazının güney Avrupa'ya farklı
    bir etiketle akmaya devam etmesinin bir yolu olarak Türk "gaz merkezini" savundu.
    Brüksel de aynı nedenle bu fikre kuşkuyla yaklaşıyor. Ankara'nın görevi, gazın kökeninin
    izlenebildiğini ve Avrupalı alıcıların gazla birlikte yaptırım riski ithal etmediğini
    göstermek[^iea].

    ## Öneriler

    1. Depolama ve LNG terminalleri için tarifeleri ve kapasite tahsis kurallarını
       yayımlamak.
    2. Enerji borsası EPİAŞ'ın organize gaz piyasasını vadeli ürünlerle ve İngilizce de
       yayımlanan bir referans fiyatla derinleştirmek.
    3. Bir kriz soruyu dayatmadan önce Avrupa Komisyonu ile menşe sertifikaları konusunda
       uzlaşmak.

    Bunların hiçbiri yeni boru hatları gerektirmiyor. Gerektirdiği şey daha zor olanı:
    kontrolü bırakmayı göze almak.
    """
)

_GAS_HUB_RU = _md(
    """
    Почти десять лет Анкара обещает, что Турция станет *газовым хабом* — местом, где газ из
    России, Азербайджана, Ирана и с мирового рынка СПГ не просто проходит транзитом, а
    становится предметом торговли. Физическая инфраструктура в основном уже создана. Куда
    сложнее другой вопрос: может ли хаб существовать без цены, которой доверяют покупатели и
    продавцы за пределами Турции?

    ## Что уже построено

    За последние десять лет Турция без лишнего шума создала одну из самых гибких систем
    импорта газа в Европе. Мощности по регазификации, значительная часть которых приходится
    на плавучие установки у побережья Эгейского и Средиземного морей, способны сами по себе
    покрыть заметную долю пикового зимнего спроса[^epdk]. Трубопроводы ведут на восток, к
    Каспию, и на север, по дну Чёрного моря, а собственное месторождение Сакарья начало
    давать первые объёмы.

    Эта гибкость окупилась во время европейского ценового шока 2022 года: турецкие
    покупатели могли переключаться между трубопроводным газом и спотовыми партиями вслед за
    движением цен[^iea]. Мало кто из соседей Турции располагал таким пространством для
    манёвра.

    ## Что на самом деле нужно хабу

    Хаб — это рынок, а не точка на карте. Трейдеры в других странах (самый очевидный
    ориентир — амстердамская площадка TTF) опираются на несколько условий, которым Турция
    пока соответствует не полностью:

    - **доступ третьих сторон** к трубопроводам, терминалам и хранилищам на опубликованных
      и недискриминационных условиях;
    - **ликвидная биржа**, где торгует достаточно независимых покупателей и продавцов, чтобы
      ни одна компания не могла в одиночку двигать цену;
    - **регуляторная дистанция**, при которой государственная компания BOTAŞ остаётся одним
      из многих участников, а не автором рынка[^liquidity].

    Хорошая иллюстрация — хранение газа. Турция расширила подземные хранилища в Силиври и на
    озере Туз, однако доступ к ним по-прежнему распределяется в основном через
    BOTAŞ[^storage]. Пока трейдер из Софии или Афин не может забронировать мощности на тех
    же условиях, что и турецкий дистрибьютор, хаб остаётся национальной балансирующей
    системой с региональными амбициями.

    ## Геополитическая ставка

    Идея хаба — это ещё и политическая ставка. Москва продвигала турецкий «газовый хаб» как
    способ сохранить поставки российского газа в Южную Европу под другой вывеской. Брюссель
    именно поэтому относится к этой идее с подозрением. Задача Анкары — показать, что
    происхождение газа можно отследить и что европейские покупатели не импортируют вместе с
    ним санкционные риски[^iea].

    ## Рекомендации

    1. Опубликовать тарифы и правила распределения мощностей хранилищ и СПГ-терминалов.
    2. Развивать организованный рынок газа на энергетической бирже EPİAŞ: добавить
       форвардные продукты и эталонную цену, публикуемую в том числе на английском языке.
    3. Согласовать с Европейской комиссией сертификаты происхождения газа прежде, чем кризис
       поставит этот вопрос ребром.

    Ничего из этого не требует новых трубопроводов. Требуется более трудное — готовность
    отпустить контроль.
    """
)

_GAS_HUB = DemoStory(
    key="gas-hub",
    authors=("elif-aydin",),
    tags=("energy", "foreign-policy", "economics"),
    versions=(
        DemoVersion(
            language="en",
            slug="turkiyes-gas-hub-ambition",
            title="Türkiye's Gas Hub Ambition Meets the Market",
            subtitle=(
                "Pipelines and LNG terminals are the easy part. A hub needs prices that "
                "people outside the country trust."
            ),
            excerpt=(
                "Türkiye has built one of Europe's most flexible gas import systems. Turning "
                "it into a trading hub depends less on steel than on access, liquidity and "
                "a regulator's distance from the incumbent."
            ),
            body=_GAS_HUB_EN,
            # Listed in a different order from the body's first references.
            footnotes=(
                DemoFootnote(
                    key="iea",
                    content=(
                        "The IEA's quarterly gas market reports track how Turkish buyers "
                        "shifted between pipeline gas and spot LNG as European prices moved."
                    ),
                    source="iea-gas-market",
                ),
                DemoFootnote(
                    key="epdk",
                    content=(
                        "Import and regasification capacity figures are taken from the "
                        "regulator's annual natural gas sector report."
                    ),
                    source="epdk-gas-report",
                ),
                DemoFootnote(
                    key="liquidity",
                    content=(
                        "Liquidity is usually measured by the *churn ratio*: traded volume "
                        "divided by physical consumption. Mature hubs trade many times the "
                        "gas they deliver."
                    ),
                ),
                DemoFootnote(
                    key="storage",
                    content=(
                        "The same report sets out storage capacity and how it is allocated; "
                        "most of it is booked by BOTAŞ."
                    ),
                    source="epdk-gas-report",
                ),
            ),
            published_days_ago=120,
        ),
        DemoVersion(
            language="tr",
            slug="turkiyenin-gaz-merkezi-hedefi",
            title="Türkiye'nin Gaz Merkezi Hedefi Piyasayla Sınanıyor",
            subtitle=(
                "Boru hatları ve LNG terminalleri işin kolay kısmı. Bir merkez, ülke "
                "dışındakilerin de güvendiği fiyatlara ihtiyaç duyar."
            ),
            excerpt=(
                "Türkiye, Avrupa'nın en esnek gaz ithalat sistemlerinden birini kurdu. Bunu "
                "bir ticaret merkezine dönüştürmek çelikten çok erişime, likiditeye ve "
                "düzenleyicinin BOTAŞ'a olan mesafesine bağlı."
            ),
            body=_GAS_HUB_TR,
            footnotes=(
                DemoFootnote(
                    key="iea",
                    content=(
                        "IEA'nın üç aylık gaz piyasası raporları, Avrupa fiyatları "
                        "değiştikçe Türk alıcıların boru hattı gazı ile spot LNG arasında "
                        "nasıl geçiş yaptığını izliyor."
                    ),
                    source="iea-gas-market",
                ),
                DemoFootnote(
                    key="epdk",
                    content=(
                        "İthalat ve yeniden gazlaştırma kapasitesine ilişkin veriler, "
                        "düzenleyici kurumun yıllık doğal gaz sektör raporundan alınmıştır."
                    ),
                    source="epdk-gas-report",
                ),
                DemoFootnote(
                    key="liquidity",
                    content=(
                        "Likidite genellikle *churn oranı* ile, yani işlem hacminin fiziksel "
                        "tüketime bölünmesiyle ölçülür. Olgun merkezlerde teslim edilen "
                        "gazın kat kat fazlası işlem görür."
                    ),
                ),
                DemoFootnote(
                    key="storage",
                    content=(
                        "Aynı rapor depolama kapasitesini ve bu kapasitenin nasıl tahsis "
                        "edildiğini ortaya koyuyor; büyük bölümü BOTAŞ tarafından "
                        "kullanılıyor."
                    ),
                    source="epdk-gas-report",
                ),
            ),
            published_days_ago=116,
            translators=("nadia-karaman",),
        ),
        DemoVersion(
            language="ru",
            slug="gazovyy-hab-turtsii",
            title="Газовый хаб Турции: амбиции и рынок",
            subtitle=(
                "Трубопроводы и СПГ-терминалы — самая простая часть. Хабу нужны цены, "
                "которым доверяют и за пределами страны."
            ),
            excerpt=(
                "Турция создала одну из самых гибких в Европе систем импорта газа. "
                "Превратить её в торговый хаб помогут не новые трубы, а доступ, ликвидность "
                "и независимость регулятора от государственной компании."
            ),
            body=_GAS_HUB_RU,
            footnotes=(
                DemoFootnote(
                    key="iea",
                    content=(
                        "Ежеквартальные обзоры газового рынка МЭА показывают, как турецкие "
                        "покупатели переключались между трубопроводным газом и спотовым СПГ "
                        "вслед за европейскими ценами."
                    ),
                    source="iea-gas-market",
                ),
                DemoFootnote(
                    key="epdk",
                    content=(
                        "Данные об импортных мощностях и мощностях регазификации взяты из "
                        "ежегодного отчёта регулятора о рынке природного газа."
                    ),
                    source="epdk-gas-report",
                ),
                DemoFootnote(
                    key="liquidity",
                    content=(
                        "Ликвидность обычно измеряют *коэффициентом оборачиваемости* "
                        "(churn ratio) — отношением объёма торгов к физическому потреблению. "
                        "На зрелых хабах продаётся во много раз больше газа, чем поставляется."
                    ),
                ),
                DemoFootnote(
                    key="storage",
                    content=(
                        "В том же отчёте приводятся данные о мощностях хранилищ и их "
                        "распределении; большую часть мощностей бронирует BOTAŞ."
                    ),
                    source="epdk-gas-report",
                ),
            ),
            published_days_ago=113,
            translators=("nadia-karaman",),
        ),
    ),
)


# --------------------------------------------------------------------------------------
# Story 2: nuclear verification (English original, Turkish; the Russian is a draft)
# --------------------------------------------------------------------------------------

_VERIFICATION_EN = _md(
    """
    For half a century the nuclear order has rested on a simple bargain: states without
    nuclear weapons forgo them, and in return they accept that someone will check. The
    [Non-Proliferation Treaty](https://disarmament.unoda.org/wmd/nuclear/npt/) made the
    promise; the International Atomic Energy Agency was given the job of verifying it[^npt].
    That machinery is now under more strain than at any point since the 1990s.

    ## Three pressures at once

    The first is **access**. Inspectors can only verify what they are allowed to see.
    Comprehensive safeguards agreements cover declared material; the Additional Protocol
    extends inspectors' reach to undeclared sites and gives them access at short
    notice[^ap]. Several of the states that matter most have either never ratified the
    protocol or have stopped applying it.

    The second is **technology**. Small modular reactors, new enrichment methods and the
    spread of advanced fuel cycles mean more facilities, in more countries, handling more
    sensitive material. Each one adds to the agency's workload[^safeguards].

    The third is **money**. The agency's safeguards budget has grown far more slowly than the
    quantity of material under safeguards[^budget].

    > Verification is not a technical afterthought to diplomacy. It is the part of diplomacy
    > that keeps working when trust has run out.

    ## Why it matters now

    Arsenals are growing again. Independent estimates suggest that the number of deployed
    warheads is rising for the first time in decades, and that China's stockpile in
    particular is expanding quickly[^sipri]. In that environment the value of credible
    verification rises: a state weighing its own options is less likely to act on
    worst-case assumptions about its neighbours if inspectors can vouch for what those
    neighbours are doing.

    ## What could be done

    - Make the Additional Protocol a condition of new nuclear supply, as several supplier
      states already do in practice.
    - Fund safeguards through assessed contributions rather than voluntary top-ups that can
      be withdrawn in a political dispute[^budget].
    - Invest in remote monitoring — sealed cameras, satellite imagery, environmental
      sampling — that reduces the need for inspectors to be physically present.

    None of these steps is new. What is new is the cost of not taking them.
    """
)

_VERIFICATION_TR = _md(
    """
    Yarım yüzyıldır nükleer düzen basit bir pazarlığa dayanıyor: Nükleer silahı olmayan
    devletler bu silahlardan vazgeçiyor, karşılığında da birilerinin bunu denetleyeceğini
    kabul ediyor. [Nükleer Silahların Yayılmasını Önleme
    Antlaşması](https://disarmament.unoda.org/wmd/nuclear/npt/) bu sözü verdi; doğrulama
    görevi ise Uluslararası Atom Enerjisi Ajansı'na (UAEA) bırakıldı[^npt]. Bu mekanizma
    bugün 1990'lardan bu yana hiç olmadığı kadar baskı altında.

    ## Aynı anda üç baskı

    Birincisi **erişim**. Denetçiler yalnızca görmelerine izin verilen şeyi doğrulayabilir.
    Kapsamlı güvenlik denetimi anlaşmaları beyan edilmiş malzemeyi kapsar; Ek Protokol ise
    denetçilerin erişimini beyan edilmemiş tesislere kadar genişletir ve kısa süreli
    bildirimle ziyaret imkânı tanır[^ap]. En çok önem taşıyan devletlerin bazıları
    protokolü hiç onaylamadı ya da uygulamayı bıraktı.

    İkincisi **teknoloji**. Küçük modüler reaktörler, yeni zenginleştirme yöntemleri ve
    gelişmiş yakıt döngülerinin yayılması; daha fazla ülkede, daha fazla tesiste, daha fazla
    hassas malzeme işlenmesi anlamına geliyor. Her biri Ajans'ın iş yükünü
    artırıyor[^safeguards].

    Üçüncüsü **para**. Ajans'ın güvenlik denetimi bütçesi, denetim altındaki malzeme
    miktarından çok daha yavaş büyüdü[^budget].

    > Denetim, diplomasinin teknik bir eki değildir. Güven tükendiğinde çalışmayı sürdüren
    > kısmıdır.

    ## Bu neden şimdi önemli?

    Nükleer cephanelikler yeniden büyüyor. Bağımsız tahminler, konuşlandırılmış savaş
    başlıklarının sayısının on yıllar sonra ilk kez arttığını ve özellikle Çin'in stokunun
    hızla genişlediğini gösteriyor[^sipri]. Böyle bir ortamda güvenilir denetimin değeri
    artıyor: Kendi seçeneklerini tartan bir devlet, denetçiler komşularının ne yaptığına
    kefil olabildiğinde en kötü senaryolara göre hareket etmeye daha az eğilimli olur.

    ## Neler yapılabilir?

    - Birçok tedarikçi devletin fiilen yaptığı gibi, yeni nükleer tedarik Ek Protokol
      şartına bağlanmalı.
    - Güvenlik denetimleri, siyasi bir anlaşmazlıkta geri çekilebilecek gönüllü katkılarla
      değil, zorunlu aidatlarla finanse edilmeli[^budget].
    - Mühürlü kameralar, uydu görüntüleri ve çevresel numune alma gibi, denetçilerin
      fiziksel olarak orada bulunma ihtiyacını azaltan uzaktan izleme yöntemlerine yatırım
      yapılmalı.

    Bu adımların hiçbiri yeni değil. Yeni olan, bu adımları atmamanın bedeli.
    """
)

_VERIFICATION_RU = _md(
    """
    Полвека ядерный порядок держится на простой сделке: государства, не обладающие ядерным
    оружием, отказываются от него и взамен соглашаются с тем, что кто-то будет это
    проверять. [Договор о нераспространении ядерного
    оружия](https://disarmament.unoda.org/wmd/nuclear/npt/) закрепил это обещание, а
    проверку поручили Международному агентству по атомной энергии[^npt]. Сегодня этот
    механизм испытывает большее напряжение, чем когда-либо с 1990-х годов.

    ## Три давления одновременно

    Первое — **доступ**. Инспекторы могут проверить только то, что им позволено увидеть.
    Соглашения о всеобъемлющих гарантиях охватывают заявленный материал, а Дополнительный
    протокол распространяет полномочия инспекторов на незаявленные объекты и даёт им право
    доступа с коротким уведомлением[^ap]. Ряд государств, которые важнее всего, либо так и
    не ратифицировали протокол, либо перестали его применять.

    Второе — **технологии**. Малые модульные реакторы, новые методы обогащения и
    распространение передовых топливных циклов означают больше объектов в большем числе
    стран, где обращаются с чувствительными материалами. Каждый из них увеличивает нагрузку
    на агентство[^safeguards].

    Третье — **деньги**. Бюджет агентства на гарантии рос гораздо медленнее, чем количество
    материала под гарантиями[^budget].

    > Проверка — не техническое приложение к дипломатии. Это та её часть, которая
    > продолжает работать, когда доверие исчерпано.

    ## Почему это важно сейчас

    Ядерные арсеналы снова растут. Независимые оценки показывают, что число развёрнутых
    боеголовок увеличивается впервые за десятилетия и что особенно быстро растёт запас
    Китая[^sipri]. В такой обстановке ценность надёжной проверки возрастает: государство,
    взвешивающее собственные варианты, реже исходит из худших предположений о соседях, если
    инспекторы могут подтвердить, чем эти соседи заняты.

    ## Что можно сделать

    - Сделать Дополнительный протокол условием новых ядерных поставок, как на практике уже
      поступают некоторые страны-поставщики.
    - Финансировать гарантии за счёт обязательных взносов, а не добровольных добавок,
      которые можно отозвать в разгар политического спора[^budget].
    - Вкладывать средства в дистанционный мониторинг — опечатанные камеры, спутниковые
      снимки, отбор проб окружающей среды, — который снижает потребность в физическом
      присутствии инспекторов.

    Ни один из этих шагов не нов. Нова лишь цена бездействия.
    """
)

_VERIFICATION = DemoStory(
    key="nuclear-verification",
    authors=("irina-sokolova",),
    tags=("arms-control", "foreign-policy"),
    versions=(
        DemoVersion(
            language="en",
            slug="the-future-of-nuclear-verification",
            title="The Future of Nuclear Verification",
            subtitle=(
                "Inspections are thinning just as the number of states able to build "
                "nuclear weapons may grow."
            ),
            excerpt=(
                "The bargain behind the nuclear order depends on someone checking. Access, "
                "technology and money are squeezing the inspectors at the worst possible "
                "moment."
            ),
            body=_VERIFICATION_EN,
            footnotes=(
                DemoFootnote(
                    key="npt",
                    content=(
                        "The treaty entered into force in 1970. Article III obliges "
                        "non-nuclear-weapon states to accept IAEA safeguards on all their "
                        "nuclear material."
                    ),
                    source="unoda-npt",
                ),
                DemoFootnote(
                    key="ap",
                    content=(
                        "The Model Additional Protocol (INFCIRC/540) was approved in 1997, "
                        "after the discovery of Iraq's clandestine nuclear programme."
                    ),
                    source="iaea-safeguards",
                ),
                DemoFootnote(
                    key="safeguards",
                    content=(
                        "The IAEA's overview of safeguards describes the range of facilities "
                        "and material it verifies."
                    ),
                    source="iaea-safeguards",
                ),
                DemoFootnote(
                    key="budget",
                    content=(
                        "Safeguards are funded partly from the agency's regular budget and "
                        "partly from extrabudgetary contributions by individual member "
                        "states."
                    ),
                ),
                DemoFootnote(
                    key="sipri",
                    content=(
                        "SIPRI estimates the world's nuclear forces every year; its recent "
                        "editions report rapid growth in China's stockpile."
                    ),
                    source="sipri-yearbook",
                ),
            ),
            published_days_ago=95,
        ),
        DemoVersion(
            language="tr",
            slug="nukleer-denetimin-gelecegi",
            title="Nükleer Denetimin Geleceği",
            subtitle=(
                "Nükleer silah üretebilecek devletlerin sayısı artabilecekken denetimler azalıyor."
            ),
            excerpt=(
                "Nükleer düzenin temelindeki pazarlık, birilerinin denetim yapmasına bağlı. "
                "Erişim, teknoloji ve para, denetçileri en kötü zamanda sıkıştırıyor."
            ),
            body=_VERIFICATION_TR,
            footnotes=(
                DemoFootnote(
                    key="npt",
                    content=(
                        "Antlaşma 1970'te yürürlüğe girdi. III. madde, nükleer silaha sahip "
                        "olmayan devletlerin tüm nükleer malzemeleri için UAEA denetimini "
                        "kabul etmesini şart koşar."
                    ),
                    source="unoda-npt",
                ),
                DemoFootnote(
                    key="ap",
                    content=(
                        "Model Ek Protokol (INFCIRC/540), Irak'ın gizli nükleer programının "
                        "ortaya çıkmasının ardından 1997'de kabul edildi."
                    ),
                    source="iaea-safeguards",
                ),
                DemoFootnote(
                    key="safeguards",
                    content=(
                        "UAEA'nın güvenlik denetimlerine ilişkin genel açıklaması, "
                        "doğruladığı tesis ve malzeme yelpazesini anlatıyor."
                    ),
                    source="iaea-safeguards",
                ),
                DemoFootnote(
                    key="budget",
                    content=(
                        "Güvenlik denetimleri kısmen Ajans'ın olağan bütçesinden, kısmen de "
                        "tek tek üye devletlerin yaptığı bütçe dışı katkılardan finanse "
                        "edilir."
                    ),
                ),
                DemoFootnote(
                    key="sipri",
                    content=(
                        "SIPRI dünyadaki nükleer güçleri her yıl tahmin ediyor; son "
                        "baskıları Çin'in stokundaki hızlı büyümeye dikkat çekiyor."
                    ),
                    source="sipri-yearbook",
                ),
            ),
            published_days_ago=90,
            translators=("nadia-karaman",),
        ),
        DemoVersion(
            language="ru",
            slug="budushchee-yadernogo-kontrolya",
            title="Будущее ядерного контроля",
            subtitle=(
                "Инспекций становится меньше именно тогда, когда число государств, "
                "способных создать ядерное оружие, может вырасти."
            ),
            excerpt=(
                "Сделка, на которой держится ядерный порядок, предполагает, что кто-то "
                "проверяет. Доступ, технологии и деньги ограничивают инспекторов в самый "
                "неподходящий момент."
            ),
            body=_VERIFICATION_RU,
            footnotes=(
                DemoFootnote(
                    key="npt",
                    content=(
                        "Договор вступил в силу в 1970 году. Статья III обязывает "
                        "государства, не обладающие ядерным оружием, поставить весь свой "
                        "ядерный материал под гарантии МАГАТЭ."
                    ),
                    source="unoda-npt",
                ),
                DemoFootnote(
                    key="ap",
                    content=(
                        "Типовой дополнительный протокол (INFCIRC/540) был одобрен в 1997 "
                        "году после раскрытия тайной ядерной программы Ирака."
                    ),
                    source="iaea-safeguards",
                ),
                DemoFootnote(
                    key="safeguards",
                    content=(
                        "В обзоре МАГАТЭ о гарантиях описан круг объектов и материалов, "
                        "которые проверяет агентство."
                    ),
                    source="iaea-safeguards",
                ),
                DemoFootnote(
                    key="budget",
                    content=(
                        "Гарантии финансируются частично из регулярного бюджета агентства, "
                        "частично из внебюджетных взносов отдельных государств-членов."
                    ),
                ),
                DemoFootnote(
                    key="sipri",
                    content=(
                        "СИПРИ ежегодно оценивает ядерные силы мира; в последних выпусках "
                        "отмечается быстрый рост запаса Китая."
                    ),
                    source="sipri-yearbook",
                ),
            ),
            # Still being edited, so the Russian version is not visible yet.
            status="draft",
            published_days_ago=None,
        ),
    ),
)


# --------------------------------------------------------------------------------------
# Story 3: Europe's carbon border (English original, revised after the Turkish translation)
# --------------------------------------------------------------------------------------

# The first revision of the English original, from which the Turkish version was made.
_CARBON_BORDER_EN_EARLIER = _md(
    """
    From 2026, importers bringing steel, aluminium, cement, fertilisers, electricity and
    hydrogen into the European Union will have to pay for the carbon emitted in making those
    goods[^cbam]. The carbon border adjustment mechanism, or CBAM, is designed to stop
    European climate policy from simply pushing production elsewhere. For Türkiye, whose
    largest export market is the EU, it is the most consequential trade measure since the
    customs union.

    ## Who pays, and how much

    The charge is levied on the importer, but the cost lands on the exporter's price. The
    bill depends on three numbers:

    1. the **embedded emissions** of the product;
    2. the **EU carbon price**;
    3. any **carbon price already paid** in the country of origin, which can be deducted.

    Firms that cannot document their emissions will be assigned default values, which are
    deliberately set high[^phases]. For exporters, measurement is therefore worth the
    effort.

    ## The case for a domestic carbon price

    Every euro of carbon price paid in Türkiye is a euro that does not leave the country at
    the EU border. Türkiye's new climate law provides for a national emissions trading
    system[^ets]. Its design should:

    - cover CBAM sectors first;
    - set a price floor to give investors confidence;
    - use the revenue to help smaller exporters measure their emissions.

    Carbon pricing works best alongside standards and public investment[^ipcc]. But it is
    the lever that CBAM makes urgent. A Turkish carbon price set too low will be topped up
    in Brussels; one set thoughtfully will keep the money, and the decisions, in Türkiye.
    """
)

_CARBON_BORDER_EN = _md(
    """
    Since January 2026, importers of steel, aluminium, cement, fertilisers, electricity and
    hydrogen into the European Union have been liable for the carbon emitted in making
    those goods, settled through certificates priced in line with the EU's own carbon
    market[^cbam]. The carbon border adjustment mechanism, or CBAM, is designed to stop
    European climate policy from simply pushing production elsewhere. For Türkiye, which
    sells more to the EU than to any other market, it is the most consequential trade
    measure since the customs union.

    ## Who pays, and how much

    The charge is levied on the importer, but the cost lands on the exporter's price. The
    bill depends on three numbers:

    1. the **embedded emissions** of the product, tonne for tonne;
    2. the **EU carbon price**, which has traded between roughly €60 and €100 a tonne in
       recent years;
    3. any **carbon price already paid** in the country of origin, which can be deducted.

    Firms that cannot document their emissions are assigned default values, which are
    deliberately set high[^phases]. Measurement is therefore not paperwork; it is money.

    ## Turkish steel as a test case

    Turkish steelmakers rely heavily on electric arc furnaces fed with scrap. That gives
    many of them a *lower* emissions intensity than blast-furnace producers in Europe itself.
    Their exposure comes from the electricity they use, much of which is still generated
    from coal and gas. A cleaner grid is thus not only a climate goal but a trade strategy.

    ## The case for a domestic carbon price

    The third number on the list above is where policy can help. Every euro of carbon price
    paid in Türkiye is a euro that does not leave the country at the EU border. Türkiye's
    climate law provides for a national emissions trading system, with a pilot phase
    intended to precede full operation[^ets]. The design choices matter now:

    - **Coverage** should match CBAM sectors first, so that revenue stays at home where it
      matters most.
    - **A price floor** would give investors confidence that cutting emissions will pay.
    - **Revenue** should finance grid upgrades and support smaller exporters that cannot
      afford emissions audits.

    ## Beyond compliance

    Carbon pricing is not the only lever, and on its own it is rarely sufficient; scientists
    assessing the options stress that it works best alongside standards and public
    investment[^ipcc]. But it is the lever that CBAM makes urgent. A Turkish carbon price
    set too low will be topped up in Brussels; one set thoughtfully will keep the money, and
    the decisions, in Türkiye.
    """
)

# Translated from the earlier revision above, so it lacks the later additions.
_CARBON_BORDER_TR = _md(
    """
    2026'dan itibaren Avrupa Birliği'ne çelik, alüminyum, çimento, gübre, elektrik ve
    hidrojen getiren ithalatçılar, bu ürünlerin üretiminde salınan karbonun bedelini ödemek
    zorunda kalacak[^cbam]. Sınırda Karbon Düzenleme Mekanizması (SKDM), Avrupa'nın iklim
    politikasının üretimi başka ülkelere kaydırmasını önlemek için tasarlandı. En büyük
    ihracat pazarı AB olan Türkiye için bu, gümrük birliğinden bu yana en önemli ticaret
    düzenlemesi.

    ## Kim, ne kadar ödeyecek?

    Bedel ithalatçıdan alınıyor, ama maliyet ihracatçının fiyatına yansıyor. Fatura üç
    sayıya bağlı:

    1. ürünün **gömülü emisyonları**;
    2. **AB karbon fiyatı**;
    3. menşe ülkede **önceden ödenmiş karbon fiyatı**; bu tutar düşülebiliyor.

    Emisyonlarını belgeleyemeyen firmalara, bilinçli olarak yüksek tutulan varsayılan
    değerler uygulanacak[^phases]. Bu nedenle ihracatçılar için emisyon ölçümü, harcanan
    emeğe değer.

    ## Yurt içinde karbon fiyatı neden gerekli?

    Türkiye'de ödenen her bir avroluk karbon fiyatı, AB sınırında ülkeden çıkmayan bir avro
    demek. Türkiye'nin yeni iklim kanunu ulusal bir emisyon ticaret sistemi
    öngörüyor[^ets]. Bu sistemin tasarımı:

    - önce SKDM kapsamındaki sektörleri kapsamalı;
    - yatırımcılara güven vermek için bir taban fiyat belirlemeli;
    - gelirleri, küçük ihracatçıların emisyonlarını ölçmesine destek olmak için
      kullanmalı.

    Karbon fiyatlaması, standartlar ve kamu yatırımlarıyla birlikte uygulandığında en iyi
    sonucu verir[^ipcc]. Ama SKDM'nin aciliyet kazandırdığı araç budur. Çok düşük
    belirlenen bir Türk karbon fiyatı Brüksel'de tamamlanacak; özenle belirlenen bir fiyat
    ise hem parayı hem de kararları Türkiye'de tutacak.
    """
)

_CARBON_BORDER_RU = _md(
    """
    С января 2026 года импортёры стали, алюминия, цемента, удобрений, электроэнергии и
    водорода в Европейский союз отвечают за углерод, выброшенный при производстве этих
    товаров, и расплачиваются за него сертификатами, цена которых привязана к европейскому
    углеродному рынку[^cbam]. Механизм трансграничного углеродного регулирования (CBAM)
    призван не допустить, чтобы климатическая политика ЕС просто вытесняла производство в
    другие страны. Для Турции, которая продаёт в ЕС больше, чем на любой другой рынок, это
    самая значимая торговая мера со времён таможенного союза.

    ## Кто платит и сколько

    Сбор взимается с импортёра, но издержки ложатся на цену экспортёра. Сумма зависит от
    трёх величин:

    1. **воплощённых выбросов** продукта, тонна за тонной;
    2. **цены углерода в ЕС**, которая в последние годы колебалась примерно от 60 до 100
       евро за тонну;
    3. **уже уплаченной цены углерода** в стране происхождения — её можно вычесть.

    Компаниям, которые не могут документально подтвердить свои выбросы, назначаются
    значения по умолчанию, намеренно завышенные[^phases]. Поэтому измерение выбросов — не
    бумажная работа, а деньги.

    ## Турецкая сталь как проверка

    Турецкие металлурги в значительной мере используют электродуговые печи, работающие на
    ломе. Благодаря этому у многих из них углеродоёмкость *ниже*, чем у доменных
    производств в самой Европе. Их уязвимость связана с электроэнергией, значительная часть
    которой всё ещё вырабатывается из угля и газа. Поэтому более чистая энергосистема — не
    только климатическая цель, но и торговая стратегия.

    ## Аргументы в пользу внутренней цены на углерод

    Именно третья величина из списка поддаётся влиянию политики. Каждый евро цены на
    углерод, уплаченный в Турции, — это евро, который не уходит из страны на границе ЕС.
    Закон Турции о климате предусматривает национальную систему торговли выбросами с
    пилотным этапом перед полноценным запуском[^ets]. Сейчас важны решения о её устройстве:

    - **Охват**: начать с отраслей, подпадающих под CBAM, чтобы доходы оставались в стране
      там, где это важнее всего.
    - **Минимальная цена** даст инвесторам уверенность, что сокращение выбросов окупится.
    - **Доходы** стоит направить на модернизацию сетей и поддержку небольших экспортёров,
      которым не по карману аудит выбросов.

    ## Больше, чем соблюдение правил

    Углеродное ценообразование — не единственный рычаг, и само по себе оно редко бывает
    достаточным: учёные, оценивающие варианты политики, подчёркивают, что оно лучше всего
    работает в сочетании со стандартами и государственными инвестициями[^ipcc]. Но именно
    этот рычаг CBAM делает неотложным. Слишком низкую турецкую цену на углерод доплатят в
    Брюсселе; продуманная цена оставит и деньги, и решения в Турции.
    """
)

_CARBON_BORDER = DemoStory(
    key="carbon-border",
    authors=("hannah-mercer", "elif-aydin"),
    tags=("climate", "economics", "energy"),
    versions=(
        DemoVersion(
            language="en",
            slug="europes-carbon-border-and-turkish-exporters",
            title="Europe's Carbon Border and Turkish Exporters",
            subtitle=(
                "The EU's carbon border adjustment turns emissions into a trade cost. "
                "Türkiye has little time to price them at home."
            ),
            excerpt=(
                "CBAM charges importers for the carbon in what they buy. For Turkish "
                "exporters the sensible answer is a carbon price paid, and kept, in Türkiye."
            ),
            body=_CARBON_BORDER_EN,
            footnotes=(
                DemoFootnote(
                    key="cbam",
                    content=(
                        "Regulation (EU) 2023/956 sets out the goods covered and the "
                        "schedule on which importers must surrender CBAM certificates."
                    ),
                    source="eu-cbam",
                ),
                DemoFootnote(
                    key="phases",
                    content=(
                        "Default values are defined under the same regulation and its "
                        "implementing acts; they are meant to reward producers who report "
                        "their actual emissions."
                    ),
                    source="eu-cbam",
                ),
                DemoFootnote(
                    key="ets",
                    content=(
                        "The law envisages a pilot period before full operation; the rules "
                        "for allocating allowances are left to secondary legislation."
                    ),
                ),
                DemoFootnote(
                    key="ipcc",
                    content=(
                        "The IPCC's synthesis report assesses carbon pricing alongside "
                        "regulation, subsidies and public investment as complementary "
                        "policy instruments."
                    ),
                    source="ipcc-ar6",
                ),
            ),
            published_days_ago=160,
        ),
        DemoVersion(
            language="tr",
            slug="avrupanin-karbon-siniri-ve-turk-ihracatcilari",
            title="Avrupa'nın Karbon Sınırı ve Türk İhracatçıları",
            subtitle=(
                "AB'nin sınırda karbon düzenlemesi emisyonları bir ticaret maliyetine "
                "dönüştürüyor. Türkiye'nin bunları kendi içinde fiyatlamak için fazla zamanı "
                "yok."
            ),
            excerpt=(
                "SKDM, ithalatçılardan satın aldıkları ürünlerdeki karbonun bedelini alıyor. "
                "Türk ihracatçılar için akılcı yanıt, Türkiye'de ödenen ve Türkiye'de kalan "
                "bir karbon fiyatı."
            ),
            body=_CARBON_BORDER_TR,
            footnotes=(
                DemoFootnote(
                    key="cbam",
                    content=(
                        "(AB) 2023/956 sayılı Tüzük, kapsanan ürünleri ve ithalatçıların "
                        "SKDM sertifikalarını teslim etme takvimini belirliyor."
                    ),
                    source="eu-cbam",
                ),
                DemoFootnote(
                    key="phases",
                    content=(
                        "Varsayılan değerler aynı tüzük ve uygulama mevzuatıyla "
                        "tanımlanıyor; amaç, gerçek emisyonlarını raporlayan üreticileri "
                        "ödüllendirmek."
                    ),
                    source="eu-cbam",
                ),
                DemoFootnote(
                    key="ets",
                    content=(
                        "Kanun, sistemin tam olarak işlemeye başlamasından önce bir pilot "
                        "dönem öngörüyor; tahsisat kuralları ikincil mevzuata bırakılmış "
                        "durumda."
                    ),
                ),
                DemoFootnote(
                    key="ipcc",
                    content=(
                        "IPCC'nin sentez raporu karbon fiyatlamasını düzenleme, sübvansiyon "
                        "ve kamu yatırımıyla birlikte, birbirini tamamlayan politika "
                        "araçları olarak değerlendiriyor."
                    ),
                    source="ipcc-ar6",
                ),
            ),
            published_days_ago=155,
            translators=("nadia-karaman",),
            from_earlier_revision=True,
        ),
        DemoVersion(
            language="ru",
            slug="uglerodnaya-granitsa-evropy-i-turetskiy-eksport",
            title="Углеродная граница Европы и турецкий экспорт",
            subtitle=(
                "Европейский механизм углеродной корректировки превращает выбросы в "
                "торговые издержки. У Турции мало времени, чтобы назначить им цену у себя."
            ),
            excerpt=(
                "CBAM заставляет импортёров платить за углерод в покупаемых товарах. "
                "Разумный ответ турецких экспортёров — цена на углерод, которая "
                "уплачивается и остаётся в Турции."
            ),
            body=_CARBON_BORDER_RU,
            footnotes=(
                DemoFootnote(
                    key="cbam",
                    content=(
                        "Регламент (ЕС) 2023/956 определяет охватываемые товары и график, "
                        "по которому импортёры должны сдавать сертификаты CBAM."
                    ),
                    source="eu-cbam",
                ),
                DemoFootnote(
                    key="phases",
                    content=(
                        "Значения по умолчанию установлены тем же регламентом и актами о "
                        "его применении; они призваны поощрять производителей, которые "
                        "отчитываются о фактических выбросах."
                    ),
                    source="eu-cbam",
                ),
                DemoFootnote(
                    key="ets",
                    content=(
                        "Закон предусматривает пилотный период до начала полноценной работы "
                        "системы; правила распределения квот оставлены для подзаконных "
                        "актов."
                    ),
                ),
                DemoFootnote(
                    key="ipcc",
                    content=(
                        "В обобщающем докладе МГЭИК углеродное ценообразование "
                        "рассматривается вместе с регулированием, субсидиями и "
                        "государственными инвестициями как взаимодополняющие инструменты."
                    ),
                    source="ipcc-ar6",
                ),
            ),
            published_days_ago=151,
            translators=("nadia-karaman",),
        ),
    ),
    earlier_body=_CARBON_BORDER_EN_EARLIER,
)


# --------------------------------------------------------------------------------------
# Story 4: ten years of the EU-Türkiye statement (English original, Turkish and Russian)
# --------------------------------------------------------------------------------------

_MIGRATION_EN = _md(
    """
    In March 2016, after a year in which hundreds of thousands of people crossed the Aegean,
    the European Union and Türkiye agreed a short statement that has shaped migration
    politics ever since[^statement]. Irregular arrivals on the Greek islands fell sharply.
    Ten years on, the statement is often described as a success. It is better understood as
    a truce.

    ## What the statement did

    Its core terms were simple:

    - people arriving irregularly on the Greek islands could be returned to Türkiye;
    - for every Syrian returned, another Syrian would be resettled from Türkiye to the EU;
    - the EU would provide €6 billion for refugees in Türkiye through a dedicated
      facility[^facility].

    Returns under the first point stayed modest, and resettlement never approached the scale
    of need. The money, by contrast, was spent: largely on education, health care and a
    cash-transfer programme that reached well over a million refugees.

    ## What it did not do

    Türkiye hosts one of the largest refugee populations in the world[^unhcr]. The statement
    treated that fact as a problem of borders, not of lives lived in Turkish cities over
    many years. Refugees' children have grown up in Turkish schools; many adults work
    informally, because work permits remain hard to obtain[^permits]. Public patience has
    worn thin, and migration has become a staple of Turkish electoral politics.

    On the European side, the statement allowed governments to postpone reform of the common
    asylum system for the better part of a decade. The
    [Pact on Migration and Asylum](https://eur-lex.europa.eu/eli/reg/2024/1351/oj), adopted
    in 2024, closes some of the gaps, but its solidarity mechanism remains largely untested.

    ## A better bargain

    A successor arrangement should be built around the people the first one was about:

    1. **Multi-year funding** for Turkish public services, not only humanitarian projects.
    2. **Labour mobility**: legal pathways for skilled refugees and Turkish workers to fill
       shortages in the EU.
    3. **Voluntary and safe return** to Syria, only where independent monitoring confirms
       that conditions allow it[^unhcr].

    A deal that manages only numbers will be renegotiated at the next crisis. A deal that
    manages people's futures might last.
    """
)

_MIGRATION_TR = _md(
    """
    Yüz binlerce insanın Ege'yi geçtiği bir yılın ardından, Mart 2016'da Avrupa Birliği ile
    Türkiye, o günden bu yana göç siyasetini biçimlendiren kısa bir mutabakat üzerinde
    anlaştı[^statement]. Yunan adalarına düzensiz geçişler keskin biçimde azaldı. Aradan
    geçen on yılda mutabakat sık sık bir başarı olarak anıldı. Oysa onu bir ateşkes olarak
    görmek daha doğru.

    ## Mutabakat ne yaptı?

    Temel hükümleri basitti:

    - Yunan adalarına düzensiz yollarla gelenler Türkiye'ye geri gönderilebilecekti;
    - geri gönderilen her Suriyeli için bir başka Suriyeli Türkiye'den AB'ye
      yerleştirilecekti;
    - AB, Türkiye'deki mülteciler için özel bir mekanizma aracılığıyla 6 milyar avro
      sağlayacaktı[^facility].

    İlk madde kapsamındaki geri göndermeler sınırlı kaldı; yeniden yerleştirme ise
    ihtiyacın ölçeğine hiç yaklaşmadı. Buna karşılık para harcandı: Büyük bölümü eğitime,
    sağlık hizmetlerine ve bir milyonu aşkın mülteciye ulaşan bir nakit yardım programına
    gitti.

    ## Ne yapmadı?

    Türkiye dünyanın en büyük mülteci nüfuslarından birine ev sahipliği yapıyor[^unhcr].
    Mutabakat bu gerçeği, Türk şehirlerinde yıllardır süren hayatların değil, sınırların
    bir sorunu olarak ele aldı. Mültecilerin çocukları Türk okullarında büyüdü; çalışma
    izni almak hâlâ zor olduğu için yetişkinlerin çoğu kayıt dışı çalışıyor[^permits].
    Toplumun sabrı azaldı ve göç, Türkiye'de seçim siyasetinin değişmez konularından biri
    haline geldi.

    Avrupa tarafında ise mutabakat, hükümetlerin ortak sığınma sistemi reformunu neredeyse
    on yıl ertelemesine imkân verdi. 2024'te kabul edilen
    [Göç ve İltica Paktı](https://eur-lex.europa.eu/eli/reg/2024/1351/oj) bazı boşlukları
    gideriyor, ancak dayanışma mekanizması henüz pek sınanmadı.

    ## Daha iyi bir pazarlık

    Yeni bir düzenleme, ilkinin asıl konusu olan insanlar etrafında kurulmalı:

    1. Yalnızca insani projelere değil, Türk kamu hizmetlerine **çok yıllı finansman**.
    2. **İşgücü hareketliliği**: AB'deki açıkları kapatmak için nitelikli mültecilere ve
       Türk işçilere yasal yollar.
    3. Suriye'ye **gönüllü ve güvenli dönüş**; ancak bağımsız izleme, koşulların buna
       elverdiğini doğruladığında[^unhcr].

    Yalnızca sayıları yöneten bir anlaşma, bir sonraki krizde yeniden müzakere edilir.
    İnsanların geleceğini yöneten bir anlaşma ise kalıcı olabilir.
    """
)

_MIGRATION_RU = _md(
    """
    В марте 2016 года, после года, когда сотни тысяч людей пересекли Эгейское море,
    Европейский союз и Турция согласовали короткое заявление, которое с тех пор определяет
    миграционную политику[^statement]. Число нерегулярных прибытий на греческие острова
    резко сократилось. Десять лет спустя заявление часто называют успехом. Точнее было бы
    назвать его перемирием.

    ## Что сделало заявление

    Его основные условия были просты:

    - людей, нерегулярно прибывших на греческие острова, можно было возвращать в Турцию;
    - за каждого возвращённого сирийца другой сириец переселялся из Турции в ЕС;
    - ЕС выделял 6 млрд евро на помощь беженцам в Турции через специальный
      фонд[^facility].

    Возвраты по первому пункту остались немногочисленными, а переселение так и не
    приблизилось к масштабу потребностей. Деньги же были потрачены — в основном на
    образование, здравоохранение и программу денежных выплат, охватившую более миллиона
    беженцев.

    ## Чего оно не сделало

    Турция принимает одно из крупнейших в мире сообществ беженцев[^unhcr]. Заявление
    рассматривало этот факт как проблему границ, а не жизней, которые годами проходят в
    турецких городах. Дети беженцев выросли в турецких школах; многие взрослые работают
    неофициально, поскольку разрешение на работу по-прежнему трудно получить[^permits].
    Терпение общества иссякает, и миграция стала постоянной темой турецкой предвыборной
    политики.

    На европейской стороне заявление позволило правительствам почти на десятилетие отложить
    реформу общей системы убежища. Принятый в 2024 году
    [Пакт о миграции и убежище](https://eur-lex.europa.eu/eli/reg/2024/1351/oj) закрывает
    часть пробелов, но его механизм солидарности пока почти не испытан.

    ## Более удачная сделка

    Новая договорённость должна строиться вокруг людей, ради которых заключалась первая:

    1. **Многолетнее финансирование** турецких государственных услуг, а не только
       гуманитарных проектов.
    2. **Трудовая мобильность**: легальные пути для квалифицированных беженцев и турецких
       работников, чтобы восполнить нехватку кадров в ЕС.
    3. **Добровольное и безопасное возвращение** в Сирию — только там, где независимый
       мониторинг подтверждает, что условия это позволяют[^unhcr].

    Соглашение, которое управляет лишь цифрами, будет пересмотрено при следующем кризисе.
    Соглашение, которое управляет будущим людей, может оказаться долговечным.
    """
)

_MIGRATION = DemoStory(
    key="eu-turkiye-migration",
    authors=("hannah-mercer",),
    tags=("migration", "foreign-policy", "economics"),
    versions=(
        DemoVersion(
            language="en",
            slug="a-decade-after-the-eu-turkiye-statement",
            title="A Decade After the EU–Türkiye Statement",
            subtitle="The 2016 arrangement reduced crossings. It did not produce a policy.",
            excerpt=(
                "Ten years on, the EU–Türkiye statement looks less like a solution than a "
                "truce. A successor deal should be built around refugees' futures, not "
                "only around border numbers."
            ),
            body=_MIGRATION_EN,
            footnotes=(
                DemoFootnote(
                    key="statement",
                    content=(
                        "The statement was issued by the members of the European Council "
                        "and Türkiye on 18 March 2016 and applied from 20 March."
                    ),
                    source="eu-turkey-statement",
                ),
                DemoFootnote(
                    key="facility",
                    content=(
                        "The Facility for Refugees in Türkiye was funded in two tranches of "
                        "€3 billion each; the statement committed the second tranche."
                    ),
                    source="eu-turkey-statement",
                ),
                DemoFootnote(
                    key="unhcr",
                    content=(
                        "UNHCR's annual *Global Trends* report ranks Türkiye among the "
                        "largest refugee-hosting countries in the world."
                    ),
                    source="unhcr-global-trends",
                ),
                DemoFootnote(
                    key="permits",
                    content=(
                        "Syrians in Türkiye hold *temporary protection* rather than refugee "
                        "status; a work permit requires an application by the employer and "
                        "is subject to quotas."
                    ),
                ),
            ),
            published_days_ago=70,
        ),
        DemoVersion(
            language="tr",
            slug="ab-turkiye-mutabakatindan-on-yil-sonra",
            title="AB–Türkiye Mutabakatından On Yıl Sonra",
            subtitle="2016 düzenlemesi geçişleri azalttı. Ama bir politika üretmedi.",
            excerpt=(
                "On yıl sonra AB–Türkiye mutabakatı bir çözümden çok bir ateşkese "
                "benziyor. Yeni bir anlaşma, yalnızca sınır rakamları etrafında değil, "
                "mültecilerin geleceği etrafında kurulmalı."
            ),
            body=_MIGRATION_TR,
            footnotes=(
                DemoFootnote(
                    key="statement",
                    content=(
                        "Mutabakat, 18 Mart 2016'da Avrupa Konseyi üyeleri ile Türkiye "
                        "tarafından açıklandı ve 20 Mart'tan itibaren uygulandı."
                    ),
                    source="eu-turkey-statement",
                ),
                DemoFootnote(
                    key="facility",
                    content=(
                        "Türkiye'deki Mülteciler için Mali Yardım Programı, her biri 3 "
                        "milyar avroluk iki dilim halinde finanse edildi; mutabakat ikinci "
                        "dilimi taahhüt ediyordu."
                    ),
                    source="eu-turkey-statement",
                ),
                DemoFootnote(
                    key="unhcr",
                    content=(
                        "BMMYK'nın yıllık *Küresel Eğilimler* raporu, Türkiye'yi dünyada en "
                        "çok mülteci barındıran ülkeler arasında gösteriyor."
                    ),
                    source="unhcr-global-trends",
                ),
                DemoFootnote(
                    key="permits",
                    content=(
                        "Türkiye'deki Suriyeliler mülteci statüsüne değil, *geçici koruma* "
                        "statüsüne sahip; çalışma izni işverenin başvurusunu gerektiriyor ve "
                        "kotalara tabi."
                    ),
                ),
            ),
            published_days_ago=66,
        ),
        DemoVersion(
            language="ru",
            slug="desyat-let-posle-zayavleniya-es-turtsiya",
            title="Десять лет после заявления ЕС — Турция",
            subtitle=(
                "Договорённость 2016 года сократила число пересечений границы. Но политики "
                "она так и не создала."
            ),
            excerpt=(
                "Спустя десять лет заявление ЕС — Турция выглядит не столько решением, "
                "сколько перемирием. Новая сделка должна строиться вокруг будущего "
                "беженцев, а не только пограничной статистики."
            ),
            body=_MIGRATION_RU,
            footnotes=(
                DemoFootnote(
                    key="statement",
                    content=(
                        "Заявление было принято членами Европейского совета и Турцией 18 "
                        "марта 2016 года и применялось с 20 марта."
                    ),
                    source="eu-turkey-statement",
                ),
                DemoFootnote(
                    key="facility",
                    content=(
                        "Фонд помощи беженцам в Турции финансировался двумя траншами по 3 "
                        "млрд евро; заявление закрепило обязательство по второму траншу."
                    ),
                    source="eu-turkey-statement",
                ),
                DemoFootnote(
                    key="unhcr",
                    content=(
                        "Ежегодный доклад УВКБ ООН «Глобальные тенденции» относит Турцию к "
                        "странам, принимающим больше всего беженцев в мире."
                    ),
                    source="unhcr-global-trends",
                ),
                DemoFootnote(
                    key="permits",
                    content=(
                        "Сирийцы в Турции имеют статус *временной защиты*, а не статус "
                        "беженца; разрешение на работу оформляется по заявлению "
                        "работодателя и подпадает под квоты."
                    ),
                ),
            ),
            published_days_ago=63,
            translators=("nadia-karaman",),
        ),
    ),
)


# --------------------------------------------------------------------------------------
# Story 5: cross-border data transfers (Turkish original, English translation)
# --------------------------------------------------------------------------------------

_DATA_TRANSFERS_TR = _md(
    """
    Türkiye'de kişisel verilerin yurt dışına aktarılması, uzun yıllar boyunca şirketler için
    hukuki bir bilmece oldu. 6698 sayılı Kişisel Verilerin Korunması Kanunu 2016'da
    yürürlüğe girdiğinde, aktarım için öngörülen yollar kâğıt üzerinde vardı; pratikte ise
    çoğu zaman tek işleyen seçenek ilgili kişinin *açık rızası* idi[^kanun]. 2024'te
    yapılan değişiklik bu tabloyu önemli ölçüde değiştirdi[^degisiklik].

    ## Eski düzen neden işlemiyordu?

    Kanunun ilk halinde iki ana yol vardı: Kurul'un "yeterli korumaya sahip" ülkeleri ilan
    etmesi ya da veri sorumlularının yazılı taahhüt verip Kurul'dan izin alması. Ancak
    yeterli ülkeler listesi hiçbir zaman yayımlanmadı, taahhütname başvurularının da çok azı
    onaylandı. Sonuç olarak bulut hizmetleri, uluslararası e-posta sistemleri ve çok uluslu
    şirketlerin gündelik veri akışları, çoğu zaman geçerliliği tartışmalı rıza metinlerine
    dayanmak zorunda kaldı.

    ## Değişiklik neler getirdi?

    1 Haziran 2024'te yürürlüğe giren yeni düzen, Avrupa Birliği'nin Genel Veri Koruma
    Tüzüğü'ne (GDPR) belirgin biçimde benzeyen kademeli bir yapı kurdu[^gdpr]:

    - **Yeterlilik kararı**: Kurul bir ülke, bir sektör ya da bir uluslararası kuruluş için
      yeterlilik kararı verebilir.
    - **Uygun güvenceler**: Standart sözleşmeler, bağlayıcı şirket kuralları ve yazılı
      taahhütnameler. Standart sözleşmelerin, imzalanmasından itibaren beş iş günü içinde
      Kurum'a bildirilmesi gerekiyor.
    - **Arızi aktarımlar**: Açık rıza ya da sözleşmenin ifası gibi istisnalar, yalnızca
      tekrarlanmayan aktarımlar için kullanılabiliyor.

    Bu yapı, rızayı gündelik bir araç olmaktan çıkarıp bir istisnaya dönüştürüyor. Hem
    şirketler hem de bireyler için daha dürüst bir düzen bu.

    ## Açık kalan sorular

    Değişiklik ilk bakışta bir uyum hamlesi gibi görünse de bazı riskler taşıyor. Yeterlilik
    kararlarının hangi ölçütlerle verileceği belirsiz. Daha önemlisi, veri koruma yalnızca
    şirketlerin değil, devletin de veriye erişimini sınırlayan bir çerçevedir. Türkiye'de
    çevrim içi ifade özgürlüğüne ilişkin uluslararası değerlendirmeler, içerik kaldırma ve
    erişim engelleme kararlarının yaygınlığına dikkat çekiyor[^fotn]. Bu tablo değişmeden
    Avrupa Komisyonu'nun Türkiye için bir yeterlilik kararı vermesi zor görünüyor.

    ## Ne yapılmalı?

    Kurul'un ilk yeterlilik kararlarını gerekçeleriyle birlikte yayımlaması, standart
    sözleşme bildirimlerine ilişkin istatistikleri düzenli olarak paylaşması ve kamu
    kurumlarının veri taleplerini de kapsayan bir şeffaflık raporu hazırlaması, yeni
    düzenin güvenilirliğini artıracaktır. Veri aktarımı teknik bir konu gibi görünebilir;
    ama sonuçta kimin, kim hakkında neyi bilebileceği sorusudur[^kanun].
    """
)

_DATA_TRANSFERS_EN = _md(
    """
    For years, transferring personal data out of Türkiye was a legal puzzle for companies.
    When Law No. 6698 on the Protection of Personal Data took effect in 2016, the routes it
    offered for transfers existed on paper; in practice, the only workable option was often
    the data subject's *explicit consent*[^kanun]. An amendment made in 2024 changed that
    picture considerably[^degisiklik].

    ## Why the old system did not work

    The original law offered two main routes: the Board could declare that certain
    countries provided "adequate protection", or data controllers could give a written
    undertaking and obtain the Board's permission. But the list of adequate countries was
    never published, and very few undertakings were approved. As a result, cloud services,
    international email systems and the everyday data flows of multinational companies
    often had to rely on consent forms of doubtful validity.

    ## What the amendment introduced

    The new regime, in force since 1 June 2024, sets up a tiered structure that closely
    resembles the EU's General Data Protection Regulation (GDPR)[^gdpr]:

    - **Adequacy decisions**: the Board may issue an adequacy decision for a country, a
      sector or an international organisation.
    - **Appropriate safeguards**: standard contracts, binding corporate rules and written
      undertakings. Standard contracts must be notified to the Authority within five
      business days of signature.
    - **Occasional transfers**: exceptions such as explicit consent or the performance of a
      contract, available only for transfers that are not repeated.

    This structure turns consent from an everyday tool into an exception, which is a more
    honest arrangement for companies and individuals alike.

    ## Open questions

    Although the amendment looks at first sight like an exercise in alignment, it carries
    risks. It is unclear by what criteria adequacy decisions will be made. More importantly,
    data protection is a framework that limits access to data not only by companies but
    also by the state. International assessments of online freedom of expression in Türkiye
    point to how common content removal and access-blocking orders are[^fotn]. Unless that
    picture changes, an adequacy decision for Türkiye from the European Commission looks
    unlikely.

    ## What should be done

    The Board could make the new regime more credible by publishing its first adequacy
    decisions with their reasoning, sharing regular statistics on standard contract
    notifications, and preparing a transparency report that also covers data requests from
    public bodies. Data transfers may look like a technical subject; in the end, they are a
    question of who may know what about whom[^kanun].
    """
)

_DATA_TRANSFERS = DemoStory(
    key="data-transfers",
    authors=("elif-aydin",),
    tags=("digital-rights", "economics"),
    versions=(
        DemoVersion(
            language="tr",
            slug="yurt-disina-veri-aktariminda-yeni-donem",
            title="Yurt Dışına Veri Aktarımında Yeni Dönem",
            subtitle=(
                "2024 değişikliği Türk şirketlerine Avrupa'dakilere benzer araçlar verdi. "
                "Asıl sınav uygulamada."
            ),
            excerpt=(
                "Kişisel Verilerin Korunması Kanunu'ndaki değişiklik, açık rızayı "
                "olağan bir araç olmaktan çıkardı. Yeni düzenin güvenilirliği, Kurul'un "
                "şeffaflığına bağlı."
            ),
            body=_DATA_TRANSFERS_TR,
            footnotes=(
                DemoFootnote(
                    key="kanun",
                    content=(
                        "6698 sayılı Kanun 7 Nisan 2016'da yayımlandı; yurt dışına aktarım "
                        "kuralları başlangıçta 9. maddede düzenlenmişti."
                    ),
                    source="kvkk-law",
                ),
                DemoFootnote(
                    key="degisiklik",
                    content=(
                        "7499 sayılı Kanun'la yapılan değişiklik 12 Mart 2024'te Resmî "
                        "Gazete'de yayımlandı ve 1 Haziran 2024'te yürürlüğe girdi."
                    ),
                    source="kvkk-law",
                ),
                DemoFootnote(
                    key="gdpr",
                    content=(
                        "GDPR'nin V. Bölümü üçüncü ülkelere aktarımları benzer bir sırayla "
                        "düzenler: önce yeterlilik kararları, ardından uygun güvenceler, en "
                        "son da belirli durumlara özgü istisnalar."
                    ),
                ),
                DemoFootnote(
                    key="fotn",
                    content=(
                        "Freedom House'un yıllık *Freedom on the Net* değerlendirmesi, "
                        "Türkiye'yi internetin özgür olmadığı ülkeler arasında gösteriyor."
                    ),
                    source="freedom-on-the-net",
                ),
            ),
            published_days_ago=45,
        ),
        DemoVersion(
            language="en",
            slug="a-new-era-for-cross-border-data-transfers",
            title="A New Era for Cross-Border Data Transfers",
            subtitle=(
                "The 2024 amendment gave Turkish companies tools similar to Europe's. The "
                "real test is in how they are applied."
            ),
            excerpt=(
                "Türkiye's amended data protection law has turned explicit consent from an "
                "everyday tool into an exception. Whether the new regime is trusted depends "
                "on the Board's transparency."
            ),
            body=_DATA_TRANSFERS_EN,
            footnotes=(
                DemoFootnote(
                    key="kanun",
                    content=(
                        "Law No. 6698 was published on 7 April 2016; its rules on transfers "
                        "abroad were originally set out in Article 9."
                    ),
                    source="kvkk-law",
                ),
                DemoFootnote(
                    key="degisiklik",
                    content=(
                        "The amendment, made by Law No. 7499, was published in the Official "
                        "Gazette on 12 March 2024 and took effect on 1 June 2024."
                    ),
                    source="kvkk-law",
                ),
                DemoFootnote(
                    key="gdpr",
                    content=(
                        "Chapter V of the GDPR orders transfers to third countries in a "
                        "similar sequence: adequacy decisions first, then appropriate "
                        "safeguards, and finally derogations for specific situations."
                    ),
                ),
                DemoFootnote(
                    key="fotn",
                    content=(
                        "Freedom House's annual *Freedom on the Net* assessment lists "
                        "Türkiye among the countries where the internet is not free."
                    ),
                    source="freedom-on-the-net",
                ),
            ),
            published_days_ago=41,
            translators=("nadia-karaman",),
        ),
    ),
)


# --------------------------------------------------------------------------------------
# Story 6: arms control after New START (English only; footnotes numbered in Roman)
# --------------------------------------------------------------------------------------

_AFTER_NEW_START_EN = _md(
    """
    For the first time since 1972, the two largest nuclear arsenals in the world are not
    bound by a treaty that limits them and lets each side check the other. New START,
    signed in 2010 and extended once, in 2021, for five years, reached the end of its life
    in February 2026[^treaty]. Its inspections had not taken place since 2020, and Russia
    suspended its participation in 2023.

    ## What has been lost

    The treaty's central limits — 1,550 deployed strategic warheads and 700 deployed
    launchers for each side — were modest. Its real value lay elsewhere:

    - **Data exchanges** twice a year on the numbers and locations of forces;
    - **Notifications**, thousands of them, whenever a launcher moved or changed status;
    - **On-site inspections**, up to eighteen a year, that let each side see for itself.

    Together these turned worst-case guessing into something closer to accounting. Without
    them, planners in both capitals will fill the gap with assumptions, and assumptions in
    nuclear planning tend to be pessimistic[^sipri-forces].

    ## A three-body problem

    Bilateral arms control was designed for a world of two nuclear superpowers. China's
    arsenal, while still much smaller, is growing faster than any other[^sipri-china].
    Washington argues that it cannot accept limits that ignore Beijing; Beijing argues that
    it should not be asked to freeze its inferiority; Moscow points to British and French
    forces. Each position has its own logic, and together they produce paralysis.

    ## What can survive

    Not everything depends on a treaty. Some practices can continue as *political
    commitments*, and some already rest on separate agreements:

    1. The 1988 agreement on notifying ballistic missile launches remains in force[^notify].
    2. Both sides could pledge, unilaterally and in parallel, to stay within the old central
       limits, and say so publicly every year.
    3. Warhead numbers could be exchanged informally through the existing risk-reduction
       centres, even without inspections.

    None of this replaces verification. But the obligation to pursue disarmament "in good
    faith" does not expire with any bilateral treaty: it is written into the NPT, to which
    all three states are parties[^npt]. Holding them to it is a task for the other members
    of the treaty as much as for the nuclear powers themselves[^sipri-forces].
    """
)

_AFTER_NEW_START = DemoStory(
    key="after-new-start",
    authors=("irina-sokolova",),
    tags=("arms-control", "foreign-policy"),
    versions=(
        DemoVersion(
            language="en",
            slug="arms-control-without-a-treaty",
            title="Arms Control Without a Treaty",
            subtitle="New START has lapsed. The habits it built need not lapse with it.",
            excerpt=(
                "With New START gone, Washington and Moscow face each other without limits "
                "or inspections. Some of the treaty's practices can still be saved as "
                "political commitments."
            ),
            body=_AFTER_NEW_START_EN,
            # Listed in a different order from the body's first references.
            footnotes=(
                DemoFootnote(
                    key="treaty",
                    content=(
                        "The Treaty on Measures for the Further Reduction and Limitation of "
                        "Strategic Offensive Arms was signed in Prague on 8 April 2010 and "
                        "entered into force on 5 February 2011."
                    ),
                ),
                DemoFootnote(
                    key="npt",
                    content=(
                        "Article VI commits every party to pursue negotiations in good faith "
                        "on nuclear disarmament."
                    ),
                    source="unoda-npt",
                ),
                DemoFootnote(
                    key="sipri-china",
                    content=(
                        "The same yearbook describes China's arsenal as the fastest-growing "
                        "of any nuclear-armed state."
                    ),
                    source="sipri-yearbook",
                ),
                DemoFootnote(
                    key="sipri-forces",
                    content=(
                        "SIPRI's chapter on world nuclear forces estimates deployed and "
                        "stored warheads for all nine nuclear-armed states."
                    ),
                    source="sipri-yearbook",
                ),
                DemoFootnote(
                    key="notify",
                    content=(
                        "The Agreement on Notifications of Launches of Intercontinental "
                        "Ballistic Missiles and Submarine-Launched Ballistic Missiles was "
                        "signed in Moscow on 31 May 1988."
                    ),
                ),
            ),
            published_days_ago=198,
            numbering_style="ROMAN",
        ),
    ),
)


# --------------------------------------------------------------------------------------
# Story 7: drought in Central Anatolia (English only)
# --------------------------------------------------------------------------------------

_DROUGHT_EN = _md(
    """
    Central Anatolia has always been dry. What is changing is the margin for error.
    Successive years of below-average rainfall have left reservoirs low, lowered groundwater
    tables across the Konya basin and pushed water to the top of the agenda in cities that
    once took it for granted[^mgm].

    ## A warming region

    Climate models are unusually consistent about the eastern Mediterranean: it is warming
    faster than the global average, and most projections show less rainfall and more
    intense droughts as warming continues[^ipcc]. For Türkiye the question is not whether
    to adapt but how quickly, and who bears the cost.

    ## Where the water goes

    Agriculture accounts for roughly three quarters of water withdrawals in Türkiye. Much of
    it goes to crops that are thirsty for a semi-arid plateau: sugar beet, maize and, in
    some areas, alfalfa for livestock. Farmers grow them because prices and support payments
    make them rational choices, and because groundwater has long been cheap to
    pump[^irrigation].

    The result is a familiar pattern:

    - wells are drilled deeper each year as the water table falls;
    - unregistered wells undermine official allocation plans;
    - land subsidence and sinkholes appear around the most heavily pumped areas.

    ## Economic policy, not only farm policy

    Drought is usually discussed as an agricultural emergency. It is increasingly a
    *macroeconomic* one. Poor harvests push up food prices, which weigh heavily in the
    inflation basket; lower hydropower output raises the bill for imported fuel; and
    water-intensive industries face growing uncertainty about supply.

    Three shifts would help:

    1. **Price irrigation water by volume**, with a meter on every licensed well.
    2. **Align crop support with water availability**, paying farmers to switch to less
       thirsty crops rather than to expand them.
    3. **Treat reservoirs as shared infrastructure**, with municipal, agricultural and
       energy users planning allocations together before the dry season, not during it.

    Adaptation is cheaper than crisis management. The plateau's farmers already know this;
    the policies around them have yet to catch up[^mgm].
    """
)

_DROUGHT = DemoStory(
    key="anatolian-drought",
    authors=("hannah-mercer",),
    tags=("climate", "economics"),
    versions=(
        DemoVersion(
            language="en",
            slug="drought-on-the-anatolian-plateau",
            title="Drought on the Anatolian Plateau",
            subtitle=(
                "Water scarcity is becoming a problem for economic policy, not only for "
                "agriculture."
            ),
            excerpt=(
                "Falling groundwater and a warming climate are turning Central Anatolia's "
                "water problem into an inflation, energy and growth problem."
            ),
            body=_DROUGHT_EN,
            footnotes=(
                DemoFootnote(
                    key="mgm",
                    content=(
                        "The Turkish State Meteorological Service publishes monthly drought "
                        "maps based on the standardised precipitation index."
                    ),
                    source="mgm-drought",
                ),
                DemoFootnote(
                    key="ipcc",
                    content=(
                        "The IPCC's Sixth Assessment Report projects increased aridity and "
                        "more frequent droughts for the Mediterranean region."
                    ),
                    source="ipcc-ar6",
                ),
                DemoFootnote(
                    key="irrigation",
                    content=(
                        "Many farmers pay for irrigation by the area they irrigate rather "
                        "than by the volume they use, which gives little incentive to save "
                        "water."
                    ),
                ),
            ),
            published_days_ago=24,
        ),
    ),
)


# --------------------------------------------------------------------------------------
# Story 8: the last mile of disinflation (English only)
# --------------------------------------------------------------------------------------

_DISINFLATION_EN = _md(
    """
    Türkiye's return to orthodox monetary policy in mid-2023 was one of the sharpest policy
    reversals any large emerging economy has attempted. The central bank raised its policy
    rate from 8.5 to 50 per cent in less than a year, and annual inflation, after peaking at
    about 75 per cent in the spring of 2024, has been falling since[^peak]. The hard part
    is what comes next.

    ## Why the last stretch is the hardest

    Disinflation tends to be fast at first and slow at the end. Early gains come from a
    stable exchange rate and the fading of one-off price shocks. What remains is stickier,
    for three reasons:

    - **Services and rents** respond slowly to interest rates and are often set with
      reference to past inflation rather than expected inflation[^backward].
    - **Administered prices** — energy tariffs, tobacco, official fees — are adjusted
      periodically, and each adjustment resets expectations.
    - **Wage rounds**, especially for the minimum wage, are large and infrequent, so each
      one becomes a focal point for price-setters.

    ## The credibility ledger

    The central bank has rebuilt its reserves and won back a measure of trust from foreign
    investors. International forecasters expect inflation to keep falling, though more
    slowly and from a higher level than the official path[^imf]. The gap between the bank's
    targets and what others expect is the best single measure of how much credibility is
    still to be earned.

    Credibility, however, is not built by the central bank alone. Fiscal policy matters:
    reconstruction spending after the 2023 earthquakes was necessary, but further stimulus
    before inflation is under control would undo the work of the rate rises. So does incomes
    policy: a minimum wage indexed to *past* inflation locks in the very persistence the
    central bank is trying to break.

    ## What to watch

    1. Whether wage and rent increases start to be set in line with the target rather than
       with last year's inflation.
    2. Whether the budget deficit keeps narrowing as reconstruction winds down.
    3. Whether rate cuts proceed at a pace that keeps real interest rates positive[^imf].

    Disinflation programmes rarely fail in their first year. They fail in their third, when
    the cost is visible and the reward still feels distant.
    """
)

_DISINFLATION = DemoStory(
    key="disinflation",
    authors=("hannah-mercer",),
    tags=("economics",),
    versions=(
        DemoVersion(
            language="en",
            slug="the-last-mile-of-disinflation",
            title="The Last Mile of Disinflation",
            subtitle=(
                "Türkiye's inflation has come down a long way. The final stretch depends "
                "on wages, rents and the budget as much as on the central bank."
            ),
            excerpt=(
                "Tight money brought Turkish inflation down from its 2024 peak. Bringing it "
                "to target will test fiscal and incomes policy as much as monetary policy."
            ),
            body=_DISINFLATION_EN,
            # Listed in a different order from the body's first references.
            footnotes=(
                DemoFootnote(
                    key="imf",
                    content=(
                        "The IMF's outlook tables give annual inflation projections for "
                        "Türkiye alongside other emerging market economies."
                    ),
                    source="imf-weo",
                ),
                DemoFootnote(
                    key="peak",
                    content=(
                        "Annual consumer price inflation, as measured by the Turkish "
                        "Statistical Institute, peaked at 75.45 per cent in May 2024."
                    ),
                ),
                DemoFootnote(
                    key="backward",
                    content=(
                        "Economists call this *backward-looking indexation*; it is common in "
                        "economies with a long history of high inflation."
                    ),
                ),
            ),
            published_days_ago=3,
        ),
    ),
)


# --------------------------------------------------------------------------------------
# Story 9: bandwidth throttling (English only; scheduled for the future)
# --------------------------------------------------------------------------------------

_THROTTLING_EN = _md(
    """
    In the hours after an earthquake, an attack or a contested political event, many users
    in Türkiye have learned to expect the same thing: social media applications slow to a
    crawl while the rest of the internet works normally. *Throttling*, as the practice is
    known, is less visible than an outright block and harder to challenge. That is exactly
    why it deserves scrutiny[^fotn].

    ## A legal grey zone

    Türkiye's internet law, Law No. 5651, gives the authorities broad powers to remove
    content and block access to websites[^law5651]. Bandwidth restrictions are a different
    matter. They are usually imposed without a published decision, for an unspecified
    period, and on entire platforms rather than on specific content. Users cannot appeal
    against something that has never been formally announced.

    ## Why it matters

    The costs are not abstract:

    - During emergencies, people rely on messaging apps and social networks to find
      relatives and coordinate help.
    - Journalists lose the ability to verify and share information at the moment it is most
      needed.
    - Businesses that sell through these platforms lose revenue with no avenue for
      compensation.

    International human rights standards do allow restrictions on expression, but only when
    they are provided by law, pursue a legitimate aim and are necessary and
    proportionate[^tests]. A restriction that leaves no record fails the first test before
    the others can even be examined.

    ## Minimum safeguards

    1. Every restriction should rest on a written, published decision that names its legal
       basis.
    2. Restrictions should be time-limited and reviewed by a court within 24 hours.
    3. Operators should publish transparency reports listing the restrictions they
       implemented and for how long[^fotn].

    None of this prevents the state from acting in a genuine emergency. It simply ensures
    that when the network slows down, accountability does not.
    """
)

_THROTTLING = DemoStory(
    key="throttling",
    authors=("hannah-mercer",),
    tags=("digital-rights",),
    versions=(
        DemoVersion(
            language="en",
            slug="when-the-network-slows-down",
            title="When the Network Slows Down",
            subtitle=(
                "Bandwidth throttling has become a routine tool of crisis management. It "
                "should be governed by law, not by habit."
            ),
            excerpt=(
                "Slowing social media after major events leaves no record and no appeal. "
                "Three minimum safeguards would bring throttling under the rule of law."
            ),
            body=_THROTTLING_EN,
            footnotes=(
                DemoFootnote(
                    key="fotn",
                    content=(
                        "Freedom House's annual assessment documents repeated throttling of "
                        "social media platforms in Türkiye following major events."
                    ),
                    source="freedom-on-the-net",
                ),
                DemoFootnote(
                    key="law5651",
                    content=(
                        "Law No. 5651 on the Regulation of Publications on the Internet was "
                        "adopted in 2007 and has been amended many times since."
                    ),
                ),
                DemoFootnote(
                    key="tests",
                    content=(
                        "This three-part test derives from Article 19(3) of the "
                        "International Covenant on Civil and Political Rights and Article "
                        "10(2) of the European Convention on Human Rights."
                    ),
                ),
            ),
            # Scheduled: goes out in a month.
            published_days_ago=-30,
        ),
    ),
)


# --------------------------------------------------------------------------------------
# Story 10: Iran after snapback (English only; archived)
# --------------------------------------------------------------------------------------

_SNAPBACK_EN = _md(
    """
    At the end of September 2025, United Nations sanctions on Iran that had been lifted
    under the 2015 nuclear agreement were restored through the so-called *snapback*
    procedure, triggered by France, Germany and the United Kingdom. The legal step is
    significant. Its practical effect, on its own, is likely to be limited.

    ## What returns

    The restored resolutions reinstate an arms embargo, restrictions on ballistic missile
    activity, and a ban on transfers related to enrichment and reprocessing[^unsc]. Most of
    these measures duplicate sanctions that the United States and the European Union already
    apply, and which have shaped Iran's trade for years. The countries most willing to trade
    with Iran were never likely to be deterred by a change in the UN's formal position.

    ## What is lost

    The larger cost is to verification. Since 2021 the International Atomic Energy Agency
    has had steadily less access in Iran, and its ability to account for the country's
    stock of highly enriched uranium was further damaged by the strikes on Iranian nuclear
    facilities in June 2025[^iaea]. Without an agreed framework, inspectors depend on
    case-by-case arrangements that can be withdrawn at any moment.

    Iran remains a party to the Non-Proliferation Treaty and bound by its safeguards
    agreement[^npt]. Keeping it that way is now the most important objective. Tehran has
    threatened to leave the treaty before; doing so would remove the last legal basis for
    inspections.

    ## Priorities

    - Preserve the IAEA's presence, however limited, and avoid steps that give Tehran a
      pretext to expel inspectors.
    - Keep open a channel for talks that deals with enrichment levels and stockpiles
      directly, rather than the full agenda at once.
    - Coordinate closely with the region's states, whose own nuclear choices may be shaped
      by how this file ends[^sipri].

    The deal of 2015 is gone. The question is whether what replaces it will be negotiated
    or improvised.
    """
)

_SNAPBACK = DemoStory(
    key="iran-snapback",
    authors=("irina-sokolova",),
    tags=("arms-control", "foreign-policy"),
    versions=(
        DemoVersion(
            language="en",
            slug="iran-after-snapback",
            title="Iran After Snapback",
            subtitle=(
                "Restoring UN sanctions is a legal step with limited practical effect, and "
                "a large political one."
            ),
            excerpt=(
                "The return of UN sanctions on Iran changes less on the ground than in the "
                "courtroom. The real risk is to inspections."
            ),
            body=_SNAPBACK_EN,
            footnotes=(
                DemoFootnote(
                    key="unsc",
                    content=(
                        "The measures come from Security Council resolutions adopted between "
                        "2006 and 2010, among them resolutions 1737 and 1929."
                    ),
                ),
                DemoFootnote(
                    key="iaea",
                    content=(
                        "The IAEA's account of how safeguards work explains why continuity "
                        "of knowledge, once lost, is hard to restore."
                    ),
                    source="iaea-safeguards",
                ),
                DemoFootnote(
                    key="npt",
                    content=(
                        "Iran signed the treaty in 1968 and ratified it in 1970; Article X "
                        "allows a party to withdraw on three months' notice."
                    ),
                    source="unoda-npt",
                ),
                DemoFootnote(
                    key="sipri",
                    content=(
                        "SIPRI's yearbook tracks nuclear latency and the regional security "
                        "debates it feeds in the Middle East."
                    ),
                    source="sipri-yearbook",
                ),
            ),
            status="archived",
            published_days_ago=400,
        ),
    ),
)


STORIES: tuple[DemoStory, ...] = (
    _GAS_HUB,
    _VERIFICATION,
    _CARBON_BORDER,
    _MIGRATION,
    _DATA_TRANSFERS,
    _AFTER_NEW_START,
    _DROUGHT,
    _DISINFLATION,
    _THROTTLING,
    _SNAPBACK,
)


# --------------------------------------------------------------------------------------
# Checks
# --------------------------------------------------------------------------------------

_REFERENCE = re.compile(r"\[\^([A-Za-z0-9][A-Za-z0-9_-]*)\]")
_FOOTNOTE_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def _references(body: str) -> set[str]:
    return set(_REFERENCE.findall(body))


def validate() -> None:
    """Assert the structural rules the seed relies on; raises AssertionError on a breach."""
    today = date.today()

    source_keys = [source.key for source in SOURCES]
    assert len(source_keys) == len(set(source_keys)), "duplicate source keys"
    for source in SOURCES:
        assert source.title.strip(), source.key
        assert source.url is None or source.url.startswith("https://"), source.key
        assert source.accessed_on is None or source.accessed_on < today, source.key

    author_slugs = [author.slug for author in AUTHORS]
    assert len(author_slugs) == len(set(author_slugs)), "duplicate author slugs"
    for author in AUTHORS:
        assert _SLUG.fullmatch(author.slug), author.slug
        assert set(author.bios) <= set(LANGUAGES), author.slug
        assert all(bio.strip() for bio in author.bios.values()), author.slug

    tag_slugs = [tag.slug for tag in TAGS]
    assert len(tag_slugs) == len(set(tag_slugs)), "duplicate tag slugs"
    for tag in TAGS:
        assert _SLUG.fullmatch(tag.slug), tag.slug
        assert set(tag.names) == set(LANGUAGES), tag.slug

    story_keys = [story.key for story in STORIES]
    assert len(story_keys) == len(set(story_keys)), "duplicate story keys"
    slugs_seen: set[tuple[str, str]] = set()
    for story in STORIES:
        where = story.key
        assert story.versions, f"{where}: no versions"
        assert 1 <= len(story.authors) <= 2, f"{where}: authors"
        assert len(set(story.authors)) == len(story.authors), f"{where}: repeated author"
        assert set(story.authors) <= set(author_slugs), f"{where}: unknown author"
        assert 1 <= len(story.tags) <= 3, f"{where}: tags"
        assert len(set(story.tags)) == len(story.tags), f"{where}: repeated tag"
        assert set(story.tags) <= set(tag_slugs), f"{where}: unknown tag"

        languages = [version.language for version in story.versions]
        assert len(languages) == len(set(languages)), f"{where}: two versions in a language"

        original = story.versions[0]
        original_keys = [footnote.key for footnote in original.footnotes]
        # versions[0] is the original: it was not translated, nor from an earlier revision,
        # and it went out no later than its translations.
        assert not original.translators, f"{where}: original credits a translator"
        assert not original.from_earlier_revision, f"{where}: original is out of date"
        assert original.status != "draft", f"{where}: draft original"

        for version in story.versions:
            where = f"{story.key}/{version.language}"
            assert version.language in LANGUAGES, where
            assert _SLUG.fullmatch(version.slug), f"{where}: slug {version.slug!r}"
            assert (version.language, version.slug) not in slugs_seen, f"{where}: slug taken"
            slugs_seen.add((version.language, version.slug))
            assert version.title.strip() and version.excerpt.strip(), where
            assert version.body.strip(), where

            keys = [footnote.key for footnote in version.footnotes]
            assert len(keys) == len(set(keys)), f"{where}: duplicate footnote keys"
            assert all(_FOOTNOTE_KEY.fullmatch(key) for key in keys), where
            references = _references(version.body)
            assert references <= set(keys), f"{where}: {references - set(keys)} unexplained"
            assert set(keys) <= references, f"{where}: {set(keys) - references} never cited"
            for footnote in version.footnotes:
                assert footnote.content.strip(), f"{where}: empty footnote {footnote.key}"
                assert footnote.source is None or footnote.source in source_keys, (
                    f"{where}: unknown source {footnote.source}"
                )
            assert keys == original_keys, f"{where}: footnote keys differ from the original"

            if version.status == "draft":
                assert version.published_days_ago is None, f"{where}: draft with a date"
            else:
                assert version.published_days_ago is not None, f"{where}: no date"
            assert set(version.translators) <= set(author_slugs), f"{where}: translator"

            if version is not original:
                if version.from_earlier_revision:
                    assert story.earlier_body is not None, f"{where}: no earlier body"
                if (
                    version.published_days_ago is not None
                    and original.published_days_ago is not None
                ):
                    assert version.published_days_ago < original.published_days_ago, (
                        f"{where}: published before its original"
                    )

        where = story.key
        if story.earlier_body is not None:
            assert any(v.from_earlier_revision for v in story.versions), where
            assert _references(story.earlier_body) == set(original_keys), (
                f"{where}: earlier body cites different footnotes"
            )
            assert story.earlier_body != original.body, where
