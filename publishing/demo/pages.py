"""The demo publication's pages: About (in all three languages), Team and Privacy.

Stories of kind PAGE, written with the same shapes as the demo articles (no authors, no
tags); their slugs are unique per language across articles and pages.
"""

from __future__ import annotations

from inspect import cleandoc as _md

from publishing.demo.content import DemoFootnote, DemoStory, DemoVersion

_ABOUT_EN = _md(
    """
    Pressroom Institute is an independent research institute. We publish analysis of energy,
    security, migration and technology policy in English, Turkish and Russian, so that the
    people affected by a policy can read about it in their own language.

    ## What we do

    Our researchers write long-form analysis, short commentary and occasional reports. Every
    claim of fact carries a footnote to its source.[^sources] Translations are made by our own
    translators and say when the original has changed since.

    ## How we are funded

    We accept no funding from governments or political parties. Our annual report lists
    every donor who gave more than 1,000 euros.
    """
)

_ABOUT_TR = _md(
    """
    Pressroom Enstitüsü bağımsız bir araştırma enstitüsüdür. Enerji, güvenlik, göç ve
    teknoloji politikalarına dair analizlerimizi İngilizce, Türkçe ve Rusça yayımlıyoruz;
    böylece bir politikadan etkilenenler onu kendi dillerinde okuyabilir.

    ## Ne yapıyoruz

    Araştırmacılarımız uzun analizler, kısa yorumlar ve zaman zaman raporlar yazar. Her olgu
    iddiası kaynağını gösteren bir dipnot taşır.[^sources] Çevirileri kendi çevirmenlerimiz
    yapar ve özgün metin değiştiğinde bunu belirtir.

    ## Nasıl finanse ediliyoruz

    Hükümetlerden ve siyasi partilerden fon kabul etmiyoruz. Yıllık raporumuz 1.000 avrodan
    fazla bağış yapan her bağışçıyı listeler.
    """
)

_ABOUT_RU = _md(
    """
    Институт Pressroom — независимый исследовательский институт. Мы публикуем аналитику по
    энергетической политике, безопасности, миграции и технологиям на английском, турецком и
    русском языках, чтобы те, кого касается политика, могли прочитать о ней на своём языке.

    ## Чем мы занимаемся

    Наши исследователи пишут аналитические статьи, короткие комментарии и доклады. Каждое
    фактическое утверждение сопровождается сноской на источник.[^sources] Переводы делают наши
    переводчики и отмечают, если оригинал с тех пор изменился.

    ## Как мы финансируемся

    Мы не принимаем средств от правительств и политических партий. В годовом отчёте указан
    каждый жертвователь, внёсший более 1000 евро.
    """
)

_TEAM_EN = _md(
    """
    Our team works from Istanbul, Berlin and Tbilisi.

    ## Research

    Our research staff cover energy markets, arms control, migration and data protection.
    Each writes in at least two of our three languages.

    ## Editorial

    Editors check every footnote before publication and keep our translations in step with
    their originals.
    """
)

_TEAM_TR = _md(
    """
    Ekibimiz İstanbul, Berlin ve Tiflis'te çalışıyor.

    ## Araştırma

    Araştırmacılarımız enerji piyasalarını, silah kontrolünü, göçü ve veri korumayı izler.
    Her biri üç dilimizden en az ikisinde yazar.

    ## Editörlük

    Editörlerimiz yayından önce her dipnotu kontrol eder ve çevirileri özgün metinlerle uyumlu
    tutar.
    """
)

_PRIVACY_EN = _md(
    """
    This site sets no tracking cookies and shows no third-party advertising.

    ## What we keep

    Our web server keeps access logs (address, time, page requested) for fourteen days to
    protect the site from abuse, then deletes them.

    ## Newsletters

    If you subscribe to a newsletter we keep your email address until you unsubscribe; every
    newsletter carries a link that does so at once.
    """
)

PAGES: tuple[DemoStory, ...] = (
    DemoStory(
        key="about",
        authors=(),
        tags=(),
        versions=(
            DemoVersion(
                language="en",
                slug="about",
                title="About us",
                subtitle="An independent institute publishing in three languages",
                excerpt="Who we are, what we publish and how we are funded.",
                body=_ABOUT_EN,
                footnotes=(
                    DemoFootnote(
                        "sources",
                        "Our editorial guidelines describe how sources are chosen and cited.",
                    ),
                ),
                published_days_ago=400,
            ),
            DemoVersion(
                language="tr",
                slug="hakkimizda",
                title="Hakkımızda",
                subtitle="Üç dilde yayın yapan bağımsız bir enstitü",
                excerpt="Kim olduğumuz, ne yayımladığımız ve nasıl finanse edildiğimiz.",
                body=_ABOUT_TR,
                footnotes=(
                    DemoFootnote(
                        "sources",
                        "Yayın ilkelerimiz kaynakların nasıl seçildiğini ve gösterildiğini "
                        "anlatır.",
                    ),
                ),
                published_days_ago=390,
            ),
            DemoVersion(
                language="ru",
                slug="o-nas",
                title="О нас",
                subtitle="Независимый институт, публикующийся на трёх языках",
                excerpt="Кто мы, что публикуем и как финансируемся.",
                body=_ABOUT_RU,
                footnotes=(
                    DemoFootnote(
                        "sources",
                        "Наши редакционные правила описывают, как выбираются и цитируются "
                        "источники.",
                    ),
                ),
                published_days_ago=380,
            ),
        ),
    ),
    DemoStory(
        key="team",
        authors=(),
        tags=(),
        versions=(
            DemoVersion(
                language="en",
                slug="team",
                title="Our team",
                subtitle=None,
                excerpt="The researchers and editors behind our publications.",
                body=_TEAM_EN,
                published_days_ago=400,
            ),
            DemoVersion(
                language="tr",
                slug="ekip",
                title="Ekibimiz",
                subtitle=None,
                excerpt="Yayınlarımızın arkasındaki araştırmacılar ve editörler.",
                body=_TEAM_TR,
                published_days_ago=390,
            ),
        ),
    ),
    DemoStory(
        key="privacy",
        authors=(),
        tags=(),
        versions=(
            DemoVersion(
                language="en",
                slug="privacy",
                title="Privacy",
                subtitle=None,
                excerpt="What this site keeps about its readers, and for how long.",
                body=_PRIVACY_EN,
                published_days_ago=400,
            ),
        ),
    ),
)
