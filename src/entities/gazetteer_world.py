#!/usr/bin/env python3
"""Writes src/entities/gazetteer_world.tsv: countries, capitals, major cities, government
landmarks and international organisations under their names in 36 news languages, in the
format of src/entities/gazetteer.tsv, so the entity extractor finds "Estados Unidos", "США",
"الولايات المتحدة" or "미국" as the place United States.

Source: Unicode CLDR 48 as JSON, from two npm packages (license Unicode-3.0):
  cldr-localenames-full@48.2.0  territory names per locale (main/LOCALE/territories.json),
                                "UN" United Nations and "EU" European Union among them;
  cldr-dates-full@48.2.0        time-zone exemplar cities per locale
                                (main/LOCALE/timeZoneNames.json).
Plus two small hand tables below (PLACES, BODIES), a hand list of which time zones are
named after a national capital (CAPITAL_ZONES) and a hand list of CLDR forms left out
(EXCLUDE).

Regenerate (Python 3 standard library only; npm only to fetch the packages):

    tmp=$(mktemp -d)
    (cd "$tmp" &&
     npm pack cldr-localenames-full@48.2.0 cldr-dates-full@48.2.0 &&
     mkdir cldr-localenames-full cldr-dates-full &&
     tar xzf cldr-localenames-full-48.2.0.tgz -C cldr-localenames-full --strip-components=1 &&
     tar xzf cldr-dates-full-48.2.0.tgz -C cldr-dates-full --strip-components=1)
    python3 src/entities/gazetteer_world.py "$tmp"      # from the repository root

It reads src/entities/gazetteer.tsv, src/common_words.txt and
src/entities/function_words.txt beside it, writes src/entities/gazetteer_world.tsv (or
--out FILE) and prints on stderr the forms that collided and a summary. The output depends
only on these inputs: same packages, same file.

Rules (also written in the output's header):
- Territories: every two-letter region code of CLDR except the groupings EZ, QO and the
  private-use/unknown codes XA, XB, ZZ (numeric codes are regions and are skipped); UN and EU
  are `org` lines, the rest `place`. Forms: each locale's full name and every alt form
  (short, variant, ...), except an untranslated placeholder ("TR-variant"). A name with a
  parenthesis gives the name without it; the part
  inside is kept as a form of its own only where it is another name of the same place
  (MM Burma, FK Malvinas, NZ Aotearoa) or, for CD, an acronym (DRC, RDC, ДРК).
- The canonical name is the one gazetteer.tsv uses for the same place or organisation (an
  English CLDR form matches any form of one of its lines), else the CLDR English name without
  a parenthesis. An existing canonical that two territories match (Congo) goes to neither.
- Cities: a time zone whose English exemplar city is a territory's English name (Kuwait,
  Singapore, Hong Kong, Vatican) adds its names to that territory; otherwise it gets a line
  when its English exemplar city is a place of gazetteer.tsv or the zone is in CAPITAL_ZONES.
- Forms are compared as gazetteer.rs compares them, approximately (norm_key: NFKC, lower
  case, Arabic/Persian letter forms, Hebrew points removed, accents of Latin letters folded,
  split into words); a form whose key a line already has is left out (first locale wins).
- Safety filters, in this order: a Latin-script form of 3 letters or fewer unless all
  capitals (an acronym); a form equal to an English common word (src/common_words.txt) or a
  function word (src/entities/function_words.txt); a form that is a person's form in
  gazetteer.tsv; a form that gazetteer.tsv gives to another canonical name; a form two lines
  of this file would share. For the last one, a city's name that is also a country's name in
  that language (Arabic الجزائر, تونس) stays with the country; any other shared form is
  dropped from every line that has it. Last, the forms of EXCLUDE: CLDR forms that in
  the news are mostly another word or name (Korean 수단 "means" for Sudan, GB, УК).
- Lines are sorted by kind then canonical name; forms follow the locale order of LOCALES.
"""

import argparse
import json
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

VERSION = "48.2.0"
PACKAGES = ("cldr-localenames-full", "cldr-dates-full")

# CLDR locale folders, in output order. zh is Simplified Chinese, sr-Cyrl Serbian in Cyrillic,
# nb Norwegian Bokmål (CLDR's "no" holds the same names).
LOCALES = (
    "en es fr de it pt ru uk pl nl tr ar fa he el zh zh-Hant ja ko hi bn id ms sv ro cs hu "
    "bg sr-Cyrl hr vi th ur da fi nb"
).split()

# Two-letter codes that are not a country or territory: the Eurozone and Outlying Oceania
# (groupings), pseudo-locales and the unknown region.
SKIP_CODES = {"EZ", "QO", "XA", "XB", "ZZ"}
ORG_CODES = {"UN", "EU"}
# Codes whose parenthesis holds another name of the same place.
INNER_IS_NAME = {"MM", "FK", "NZ"}
# Codes whose parenthesis may hold an acronym of the place's name.
INNER_ACRONYM = {"CD"}

# Hand list: time zones named after a national capital that gazetteer.tsv does not list
# (the zones of the capitals it lists are found through it). Capitals of UN member states
# only; Abidjan, Dar es Salaam, Yangon, Almaty and the like are former or economic capitals
# and are not here. Only which zones to take; their names come from CLDR.
CAPITAL_ZONES = {
    "Africa/Asmera", "Africa/Bamako", "Africa/Bangui", "Africa/Banjul", "Africa/Bissau",
    "Africa/Brazzaville", "Africa/Conakry", "Africa/Freetown", "Africa/Gaborone",
    "Africa/Juba", "Africa/Kampala", "Africa/Kigali", "Africa/Kinshasa", "Africa/Libreville",
    "Africa/Lome", "Africa/Luanda", "Africa/Maputo", "Africa/Maseru", "Africa/Mbabane",
    "Africa/Mogadishu", "Africa/Monrovia", "Africa/Ndjamena", "Africa/Niamey",
    "Africa/Nouakchott", "Africa/Ouagadougou", "Africa/Porto-Novo", "Africa/Sao_Tome",
    "Africa/Windhoek",
    "America/Asuncion", "America/La_Paz", "America/Managua", "America/Montevideo",
    "America/Nassau", "America/Paramaribo", "America/Port-au-Prince", "America/Port_of_Spain",
    "America/Santo_Domingo", "America/Tegucigalpa",
    "Asia/Ashgabat", "Asia/Bishkek", "Asia/Dili", "Asia/Dushanbe", "Asia/Phnom_Penh",
    "Asia/Thimphu", "Asia/Vientiane",
    "Europe/Bratislava", "Europe/Chisinau", "Europe/Ljubljana", "Europe/Podgorica",
    "Europe/Sarajevo", "Europe/Skopje", "Europe/Vaduz", "Europe/Zagreb",
    "Indian/Antananarivo",
    "Pacific/Apia", "Pacific/Funafuti", "Pacific/Majuro", "Pacific/Port_Moresby",
    "Pacific/Tarawa",
}

# Hand table: capitals that are not time-zone cities, and cities, regions, seas and areas in
# the news that are neither, as (canonical name, {locale: forms separated by "|"}). Compiled by hand
# from the titles of the cities' Wikipedia articles in each language (plus a few spellings as
# common as the title in that language's news, e.g. Japanese オデッサ beside オデーサ). A
# language left out of a row was left out rather than guessed. The canonical name is
# gazetteer.tsv's where it has the place.
PLACES = [
    ("Washington", {
        "en": "Washington|Washington, D.C.", "pl": "Waszyngton", "ru": "Вашингтон",
        "uk": "Вашингтон", "bg": "Вашингтон", "sr-Cyrl": "Вашингтон", "ar": "واشنطن",
        "fa": "واشینگتن", "he": "וושינגטון", "el": "Ουάσινγκτον", "zh": "华盛顿",
        "zh-Hant": "華盛頓", "ja": "ワシントン", "ko": "워싱턴", "hi": "वॉशिंगटन",
        "th": "วอชิงตัน", "ur": "واشنگٹن"}),
    ("New Delhi", {
        "en": "New Delhi", "es": "Nueva Delhi", "de": "Neu-Delhi", "it": "Nuova Delhi",
        "pt": "Nova Deli", "ru": "Нью-Дели", "uk": "Нью-Делі", "tr": "Yeni Delhi",
        "ar": "نيودلهي", "fa": "دهلی نو", "he": "ניו דלהי", "el": "Νέο Δελχί", "zh": "新德里",
        "ja": "ニューデリー", "ko": "뉴델리", "hi": "नई दिल्ली", "cs": "Nové Dillí",
        "hu": "Újdelhi", "bg": "Ню Делхи", "sr-Cyrl": "Њу Делхи", "th": "นิวเดลี",
        "ur": "نئی دہلی"}),
    ("Delhi", {
        "en": "Delhi", "ru": "Дели", "uk": "Делі", "ar": "دلهي", "fa": "دهلی", "he": "דלהי",
        "zh": "德里", "ja": "デリー", "ko": "델리", "hi": "दिल्ली", "cs": "Dillí",
        "ur": "دہلی"}),
    ("Mumbai", {
        "en": "Mumbai|Bombay", "ru": "Мумбаи", "uk": "Мумбаї", "ar": "مومباي", "zh": "孟买",
        "ja": "ムンバイ", "ko": "뭄바이", "hi": "मुंबई", "ur": "ممبئی"}),
    ("Ottawa", {
        "en": "Ottawa", "ru": "Оттава", "uk": "Оттава", "bg": "Отава", "sr-Cyrl": "Отава",
        "ar": "أوتاوا", "fa": "اتاوا", "he": "אוטווה", "el": "Οτάβα", "zh": "渥太华",
        "zh-Hant": "渥太華", "ja": "オタワ", "ko": "오타와", "hi": "ओटावा", "th": "ออตตาวา"}),
    ("Canberra", {
        "en": "Canberra", "ru": "Канберра", "uk": "Канберра", "bg": "Канбера",
        "sr-Cyrl": "Канбера", "ar": "كانبرا", "fa": "کانبرا", "he": "קנברה", "el": "Καμπέρα",
        "zh": "堪培拉", "ja": "キャンベラ", "ko": "캔버라", "hi": "कैनबरा",
        "th": "แคนเบอร์รา"}),
    ("Ankara", {
        "en": "Ankara", "ru": "Анкара", "uk": "Анкара", "bg": "Анкара", "sr-Cyrl": "Анкара",
        "ar": "أنقرة", "fa": "آنکارا", "he": "אנקרה", "el": "Άγκυρα", "zh": "安卡拉",
        "ja": "アンカラ", "ko": "앙카라", "hi": "अंकारा", "th": "อังการา", "ur": "انقرہ"}),
    ("Islamabad", {
        "en": "Islamabad", "ru": "Исламабад", "uk": "Ісламабад", "bg": "Исламабад",
        "ar": "إسلام آباد", "fa": "اسلام‌آباد", "he": "איסלאמאבאד", "el": "Ισλαμαμπάντ",
        "zh": "伊斯兰堡", "zh-Hant": "伊斯蘭堡", "ja": "イスラマバード", "ko": "이슬라마바드",
        "hi": "इस्लामाबाद", "ur": "اسلام آباد"}),
    ("Brasilia", {
        "en": "Brasília|Brasilia", "ru": "Бразилиа", "uk": "Бразиліа", "ar": "برازيليا",
        "fa": "برازیلیا", "he": "ברזיליה", "el": "Μπραζίλια", "zh": "巴西利亚",
        "zh-Hant": "巴西利亞", "ja": "ブラジリア", "ko": "브라질리아"}),
    ("Beijing", {
        "en": "Beijing|Peking", "es": "Pekín", "fr": "Pékin", "it": "Pechino", "pt": "Pequim",
        "ru": "Пекин", "uk": "Пекін", "pl": "Pekin", "tr": "Pekin", "ar": "بكين", "fa": "پکن",
        "el": "Πεκίνο", "zh": "北京", "ko": "베이징", "hi": "बीजिंग", "bg": "Пекин",
        "sr-Cyrl": "Пекинг", "vi": "Bắc Kinh", "th": "ปักกิ่ง", "ur": "بیجنگ"}),
    ("Abuja", {
        "en": "Abuja", "ru": "Абуджа", "ar": "أبوجا", "zh": "阿布贾", "ja": "アブジャ",
        "ko": "아부자"}),
    ("Wellington", {
        "en": "Wellington", "ru": "Веллингтон", "zh": "惠灵顿", "ja": "ウェリントン",
        "ko": "웰링턴"}),
    ("Bern", {
        "en": "Bern", "fr": "Berne", "es": "Berna", "it": "Berna", "pt": "Berna",
        "pl": "Berno", "ru": "Берн", "uk": "Берн", "el": "Βέρνη", "zh": "伯尔尼",
        "ja": "ベルン", "ko": "베른"}),
    ("Rabat", {
        "en": "Rabat", "ru": "Рабат", "ar": "الرباط", "zh": "拉巴特", "ja": "ラバト",
        "ko": "라바트"}),
    ("Astana", {
        "en": "Astana", "ru": "Астана", "ar": "أستانا", "zh": "阿斯塔纳", "ja": "アスタナ",
        "ko": "아스타나"}),
    ("Abu Dhabi", {
        "en": "Abu Dhabi", "fr": "Abou Dabi", "ru": "Абу-Даби", "ar": "أبوظبي|أبو ظبي",
        "fa": "ابوظبی", "zh": "阿布扎比", "ja": "アブダビ", "ko": "아부다비"}),
    ("The Hague", {
        "en": "The Hague", "es": "La Haya", "fr": "La Haye", "de": "Den Haag", "it": "L'Aia",
        "pt": "Haia", "pl": "Haga", "tr": "Lahey", "ru": "Гаага", "uk": "Гаага",
        "ar": "لاهاي", "fa": "لاهه", "he": "האג", "el": "Χάγη", "zh": "海牙", "ja": "ハーグ",
        "ko": "헤이그", "sv": "Haag", "cs": "Haag", "hu": "Hága", "ro": "Haga"}),
    ("Munich", {
        "en": "Munich", "de": "München", "es": "Múnich", "it": "Monaco di Baviera",
        "pt": "Munique", "ru": "Мюнхен", "uk": "Мюнхен", "pl": "Monachium", "tr": "Münih",
        "ar": "ميونخ", "fa": "مونیخ", "he": "מינכן", "el": "Μόναχο", "zh": "慕尼黑",
        "ja": "ミュンヘン", "ko": "뮌헨", "cs": "Mnichov", "bg": "Мюнхен",
        "sr-Cyrl": "Минхен"}),
    ("Frankfurt", {
        "en": "Frankfurt", "de": "Frankfurt am Main", "fr": "Francfort", "es": "Fráncfort",
        "it": "Francoforte", "ru": "Франкфурт-на-Майне|Франкфурт",
        "uk": "Франкфурт-на-Майні", "pl": "Frankfurt nad Menem", "ar": "فرانكفورت",
        "el": "Φρανκφούρτη", "zh": "法兰克福", "ja": "フランクフルト", "ko": "프랑크푸르트"}),
    ("Hamburg", {
        "en": "Hamburg", "fr": "Hambourg", "es": "Hamburgo", "it": "Amburgo",
        "pt": "Hamburgo", "ru": "Гамбург", "uk": "Гамбург", "ar": "هامبورغ", "el": "Αμβούργο",
        "ja": "ハンブルク", "ko": "함부르크", "cs": "Hamburk"}),
    ("Geneva", {
        "en": "Geneva", "fr": "Genève", "de": "Genf", "es": "Ginebra", "it": "Ginevra",
        "pt": "Genebra", "ru": "Женева", "uk": "Женева", "pl": "Genewa", "tr": "Cenevre",
        "ar": "جنيف", "fa": "ژنو", "he": "ז'נבה", "el": "Γενεύη", "zh": "日内瓦",
        "zh-Hant": "日內瓦", "ja": "ジュネーヴ|ジュネーブ", "ko": "제네바", "cs": "Ženeva",
        "bg": "Женева", "sr-Cyrl": "Женева", "hr": "Ženeva", "fi": "Geneve"}),
    ("Davos", {
        "en": "Davos", "ru": "Давос", "uk": "Давос", "ar": "دافوس", "zh": "达沃斯",
        "ja": "ダボス", "ko": "다보스"}),
    ("Milan", {
        "en": "Milan", "it": "Milano", "es": "Milán", "de": "Mailand", "pt": "Milão",
        "ru": "Милан", "uk": "Мілан", "pl": "Mediolan", "nl": "Milaan", "ar": "ميلانو",
        "fa": "میلان", "he": "מילאנו", "el": "Μιλάνο", "zh": "米兰", "zh-Hant": "米蘭",
        "ja": "ミラノ", "ko": "밀라노", "cs": "Milán", "hu": "Milánó", "bg": "Милано",
        "sr-Cyrl": "Милано"}),
    ("St. Petersburg", {
        "en": "St. Petersburg|Saint Petersburg", "es": "San Petersburgo",
        "fr": "Saint-Pétersbourg", "de": "Sankt Petersburg", "it": "San Pietroburgo",
        "pt": "São Petersburgo", "ru": "Санкт-Петербург", "uk": "Санкт-Петербург",
        "pl": "Petersburg", "nl": "Sint-Petersburg", "ar": "سانت بطرسبرغ", "fa": "سن پترزبورگ",
        "he": "סנקט פטרבורג", "el": "Αγία Πετρούπολη", "zh": "圣彼得堡", "zh-Hant": "聖彼得堡",
        "ja": "サンクトペテルブルク", "ko": "상트페테르부르크", "cs": "Petrohrad",
        "hu": "Szentpétervár", "fi": "Pietari"}),
    ("Osaka", {
        "en": "Osaka", "ru": "Осака", "ar": "أوساكا", "zh": "大阪", "ja": "大阪",
        "ko": "오사카"}),
    ("Busan", {
        "en": "Busan|Pusan", "ru": "Пусан", "zh": "釜山", "ja": "釜山", "ko": "부산"}),
    ("Gaza", {
        "en": "Gaza Strip", "es": "Franja de Gaza", "fr": "bande de Gaza",
        "de": "Gazastreifen", "it": "Striscia di Gaza", "pt": "Faixa de Gaza",
        "ru": "Газа|Сектор Газа", "uk": "Газа|Сектор Гази", "pl": "Strefa Gazy|Strefie Gazy",
        "nl": "Gazastrook", "tr": "Gazze|Gazze Şeridi", "ar": "غزة|قطاع غزة",
        "fa": "غزه|نوار غزه", "he": "עזה|רצועת עזה", "el": "Γάζα|Λωρίδα της Γάζας",
        "zh": "加沙|加沙地带", "ja": "ガザ|ガザ地区", "ko": "가자지구", "sv": "Gazaremsan",
        "cs": "Pásmo Gazy"}),
    ("West Bank", {
        "en": "West Bank", "es": "Cisjordania", "fr": "Cisjordanie", "de": "Westjordanland",
        "it": "Cisgiordania", "pt": "Cisjordânia", "ru": "Западный берег", "uk": "Західний берег",
        "pl": "Zachodni Brzeg", "tr": "Batı Şeria", "ar": "الضفة الغربية", "fa": "کرانه باختری",
        "he": "הגדה המערבית", "el": "Δυτική Όχθη", "zh": "约旦河西岸",
        "ja": "ヨルダン川西岸地区"}),
    ("Ramallah", {
        "en": "Ramallah", "ru": "Рамалла", "ar": "رام الله", "he": "רמאללה", "zh": "拉姆安拉"}),
    ("Sanaa", {
        "en": "Sanaa|Sana'a", "es": "Saná", "ar": "صنعاء", "fa": "صنعا", "zh": "萨那"}),
    ("Tel Aviv", {
        "en": "Tel Aviv", "pl": "Tel Awiw", "ru": "Тель-Авив", "uk": "Тель-Авів",
        "ar": "تل أبيب", "fa": "تل‌آویو", "he": "תל אביב", "el": "Τελ Αβίβ", "zh": "特拉维夫",
        "ja": "テルアビブ", "ko": "텔아비브"}),
    ("Mar-a-Lago", {"en": "Mar-a-Lago", "ru": "Мар-а-Лаго", "zh": "海湖庄园"}),
    ("Kharkiv", {
        "en": "Kharkiv|Kharkov", "uk": "Харків", "ru": "Харьков", "pl": "Charków",
        "de": "Charkiw", "es": "Járkov", "it": "Charkiv", "cs": "Charkov", "tr": "Harkov",
        "ar": "خاركيف", "el": "Χάρκοβο", "zh": "哈尔科夫", "ja": "ハルキウ", "ko": "하르키우"}),
    ("Odesa", {
        "en": "Odesa|Odessa", "uk": "Одеса", "ru": "Одесса", "ar": "أوديسا", "el": "Οδησσός",
        "zh": "敖德萨", "ja": "オデーサ|オデッサ", "ko": "오데사"}),
    ("Mariupol", {
        "en": "Mariupol", "uk": "Маріуполь", "ru": "Мариуполь", "ar": "ماريوبول",
        "el": "Μαριούπολη", "zh": "马里乌波尔", "ja": "マリウポリ", "ko": "마리우폴"}),
    ("Donetsk", {
        "en": "Donetsk", "uk": "Донецьк", "ru": "Донецк", "pl": "Donieck", "de": "Donezk",
        "ar": "دونيتسك", "zh": "顿涅茨克", "ja": "ドネツク", "ko": "도네츠크"}),
    ("Luhansk", {
        "en": "Luhansk|Lugansk", "uk": "Луганськ", "ru": "Луганск", "pl": "Ługańsk",
        "ar": "لوغانسك", "zh": "卢甘斯克", "ja": "ルハーンシク", "ko": "루한스크"}),
    ("Crimea", {
        "en": "Crimea", "fr": "Crimée", "de": "Krim", "pt": "Crimeia", "ru": "Крым|Крыму",
        "uk": "Крим|Криму", "pl": "Krym|Krymie", "tr": "Kırım", "ar": "القرم", "fa": "کریمه",
        "el": "Κριμαία", "zh": "克里米亚", "ja": "クリミア", "ko": "크림반도", "ro": "Crimeea",
        "hu": "Krím", "bg": "Крим", "sr-Cyrl": "Крим"}),
    ("Donbas", {
        "en": "Donbas|Donbass", "uk": "Донбас", "ru": "Донбасс", "ar": "دونباس",
        "zh": "顿巴斯", "ja": "ドンバス", "ko": "돈바스"}),
    ("Doha", {
        "en": "Doha", "ru": "Доха", "uk": "Доха", "ar": "الدوحة", "fa": "دوحه", "he": "דוחה",
        "el": "Ντόχα", "zh": "多哈", "ja": "ドーハ", "ko": "도하"}),
    ("Manama", {
        "en": "Manama", "ru": "Манама", "ar": "المنامة", "zh": "麦纳麦", "ja": "マナーマ",
        "ko": "마나마"}),
    ("Hanoi", {
        "en": "Hanoi", "es": "Hanói", "fr": "Hanoï", "pt": "Hanói", "ru": "Ханой",
        "uk": "Ханой", "ar": "هانوي", "zh": "河内", "ja": "ハノイ", "ko": "하노이",
        "vi": "Hà Nội", "th": "ฮานอย"}),
    ("Aleppo", {
        "en": "Aleppo", "es": "Alepo", "fr": "Alep", "tr": "Halep", "ru": "Алеппо",
        "ar": "حلب", "he": "חאלב", "zh": "阿勒颇", "ja": "アレッポ", "ko": "알레포"}),
    ("Mecca", {
        "en": "Mecca|Makkah", "es": "La Meca", "fr": "La Mecque", "de": "Mekka",
        "it": "La Mecca", "pt": "Meca", "ru": "Мекка", "tr": "Mekke", "ar": "مكة|مكة المكرمة",
        "fa": "مکه", "zh": "麦加", "ja": "メッカ", "ko": "메카", "ur": "مکہ"}),
    ("Haifa", {"en": "Haifa", "ru": "Хайфа", "ar": "حيفا", "he": "חיפה", "zh": "海法",
               "ja": "ハイファ", "ko": "하이파"}),
    ("Isfahan", {"en": "Isfahan|Esfahan", "ru": "Исфахан", "ar": "أصفهان", "fa": "اصفهان",
                 "zh": "伊斯法罕", "ja": "イスファハーン"}),
    ("Basra", {"en": "Basra", "ru": "Басра", "ar": "البصرة", "fa": "بصره"}),
    ("Lahore", {"en": "Lahore", "ru": "Лахор", "ar": "لاهور", "ur": "لاہور", "hi": "लाहौर",
                "zh": "拉合尔", "ja": "ラホール"}),
    ("Barcelona", {
        "en": "Barcelona", "ru": "Барселона", "uk": "Барселона", "ar": "برشلونة",
        "he": "ברצלונה", "el": "Βαρκελώνη", "zh": "巴塞罗那", "ja": "バルセロナ",
        "ko": "바르셀로나"}),
    ("Naples", {
        "en": "Naples", "it": "Napoli", "es": "Nápoles", "de": "Neapel", "pt": "Nápoles",
        "ru": "Неаполь", "pl": "Neapol", "ar": "نابولي", "el": "Νάπολη", "zh": "那不勒斯",
        "ja": "ナポリ", "ko": "나폴리"}),
    ("Strasbourg", {
        "en": "Strasbourg", "de": "Straßburg", "es": "Estrasburgo", "it": "Strasburgo",
        "pt": "Estrasburgo", "ru": "Страсбург", "pl": "Strasburg", "ar": "ستراسبورغ",
        "zh": "斯特拉斯堡", "ja": "ストラスブール", "ko": "스트라스부르"}),
    ("Edinburgh", {
        "en": "Edinburgh", "fr": "Édimbourg", "es": "Edimburgo", "it": "Edimburgo",
        "pt": "Edimburgo", "ru": "Эдинбург", "pl": "Edynburg", "zh": "爱丁堡",
        "ja": "エディンバラ", "ko": "에든버러"}),
    ("Manchester", {"en": "Manchester", "ru": "Манчестер", "ar": "مانشستر", "zh": "曼彻斯特",
                    "ja": "マンチェスター", "ko": "맨체스터"}),
    ("Rio de Janeiro", {"en": "Rio de Janeiro", "ru": "Рио-де-Жанейро", "ar": "ريو دي جانيرو",
                        "zh": "里约热内卢", "ja": "リオデジャネイロ", "ko": "리우데자네이루"}),
    ("Montreal", {"en": "Montreal", "fr": "Montréal", "ru": "Монреаль", "ar": "مونتريال",
                  "zh": "蒙特利尔", "ja": "モントリオール", "ko": "몬트리올"}),
    ("Houston", {"en": "Houston", "ru": "Хьюстон", "ar": "هيوستن", "zh": "休斯敦",
                 "ja": "ヒューストン", "ko": "휴스턴"}),
    ("Miami", {"en": "Miami", "ru": "Майами", "ar": "ميامي", "zh": "迈阿密", "ja": "マイアミ",
               "ko": "마이애미"}),
    ("San Francisco", {"en": "San Francisco", "ru": "Сан-Франциско", "ar": "سان فرانسيسكو",
                       "zh": "旧金山", "ja": "サンフランシスコ", "ko": "샌프란시스코"}),
    ("Boston", {"en": "Boston", "ru": "Бостон", "ar": "بوسطن", "zh": "波士顿",
                "ja": "ボストン", "ko": "보스턴"}),
    ("Seattle", {"en": "Seattle", "ru": "Сиэтл", "ar": "سياتل", "zh": "西雅图",
                 "ja": "シアトル", "ko": "시애틀"}),
    ("Atlanta", {"en": "Atlanta", "ru": "Атланта", "ar": "أتلانتا", "zh": "亚特兰大",
                 "ja": "アトランタ", "ko": "애틀랜타"}),
    ("Middle East", {
        "en": "Middle East", "es": "Oriente Medio|Oriente Próximo",
        "fr": "Moyen-Orient|Proche-Orient", "de": "Naher Osten|Nahost", "it": "Medio Oriente",
        "pt": "Oriente Médio", "ru": "Ближний Восток", "uk": "Близький Схід",
        "pl": "Bliski Wschód", "nl": "Midden-Oosten", "tr": "Orta Doğu|Ortadoğu",
        "ar": "الشرق الأوسط", "fa": "خاورمیانه", "he": "המזרח התיכון", "el": "Μέση Ανατολή",
        "zh": "中东", "zh-Hant": "中東", "ko": "중동", "hi": "मध्य पूर्व"}),
    ("Europe", {
        "en": "Europe", "es": "Europa", "tr": "Avrupa", "ru": "Европа", "uk": "Європа",
        "ar": "أوروبا", "fa": "اروپا", "he": "אירופה", "el": "Ευρώπη", "zh": "欧洲",
        "zh-Hant": "歐洲", "ja": "ヨーロッパ|欧州", "ko": "유럽", "hi": "यूरोप"}),
    ("Asia", {
        "en": "Asia", "ru": "Азия", "uk": "Азія", "tr": "Asya", "ar": "آسيا", "fa": "آسیا",
        "he": "אסיה", "el": "Ασία", "zh": "亚洲", "zh-Hant": "亞洲", "ja": "アジア",
        "ko": "아시아", "hi": "एशिया"}),
    ("Africa", {
        "en": "Africa", "es": "África", "fr": "Afrique", "de": "Afrika", "ru": "Африка",
        "uk": "Африка", "pl": "Afryka", "ar": "أفريقيا|إفريقيا", "fa": "آفریقا",
        "he": "אפריקה", "el": "Αφρική", "zh": "非洲", "ja": "アフリカ", "ko": "아프리카",
        "hi": "अफ्रीका"}),
    ("Gulf", {
        "en": "Persian Gulf", "es": "Golfo Pérsico", "fr": "golfe Persique",
        "de": "Persischer Golf", "it": "Golfo Persico", "ru": "Персидский залив",
        "uk": "Перська затока", "pl": "Zatoka Perska", "tr": "Basra Körfezi",
        "ar": "الخليج الفارسي|الخليج العربي", "fa": "خلیج فارس", "he": "המפרץ הפרסי",
        "zh": "波斯湾", "ja": "ペルシャ湾", "ko": "페르시아만"}),
    ("Hormuz", {
        "en": "Strait of Hormuz", "es": "Ormuz|Estrecho de Ormuz", "fr": "Ormuz|détroit d'Ormuz",
        "de": "Hormus|Straße von Hormus", "it": "Stretto di Hormuz",
        "pt": "Estreito de Ormuz", "ru": "Ормузский пролив", "uk": "Ормузька протока",
        "pl": "Cieśnina Ormuz", "tr": "Hürmüz Boğazı", "ar": "هرمز|مضيق هرمز",
        "fa": "تنگه هرمز", "he": "מצר הורמוז", "zh": "霍尔木兹海峡", "ja": "ホルムズ海峡",
        "ko": "호르무즈 해협"}),
    ("Red Sea", {
        "en": "Red Sea", "es": "Mar Rojo", "fr": "mer Rouge", "de": "Rotes Meer|Roten Meer",
        "it": "Mar Rosso", "pt": "Mar Vermelho", "ru": "Красное море", "uk": "Червоне море",
        "pl": "Morze Czerwone", "tr": "Kızıldeniz", "ar": "البحر الأحمر", "fa": "دریای سرخ",
        "he": "ים סוף", "el": "Ερυθρά Θάλασσα", "zh": "红海", "zh-Hant": "紅海",
        "ko": "홍해"}),
    ("Golan Heights", {
        "en": "Golan Heights", "es": "Altos del Golán", "fr": "plateau du Golan",
        "de": "Golanhöhen", "it": "Alture del Golan", "pt": "Colinas de Golã",
        "ru": "Голанские высоты", "uk": "Голанські висоти", "pl": "Wzgórza Golan",
        "tr": "Golan Tepeleri", "ar": "الجولان|هضبة الجولان", "fa": "بلندی‌های جولان",
        "he": "רמת הגולן", "zh": "戈兰高地", "ja": "ゴラン高原", "ko": "골란고원"}),
    ("Kashmir", {
        "en": "Kashmir", "es": "Cachemira", "fr": "Cachemire", "de": "Kaschmir",
        "pt": "Caxemira", "ru": "Кашмир", "uk": "Кашмір", "pl": "Kaszmir", "tr": "Keşmir",
        "ar": "كشمير", "fa": "کشمیر", "he": "קשמיר", "zh": "克什米尔", "ko": "카슈미르",
        "hi": "कश्मीर", "ur": "کشمیر"}),
    ("Kurdistan", {
        "en": "Kurdistan", "es": "Kurdistán", "ru": "Курдистан", "tr": "Kürdistan",
        "ar": "كردستان", "fa": "کردستان", "he": "כורדיסטן", "zh": "库尔德斯坦",
        "ja": "クルディスタン", "ko": "쿠르디스탄"}),
]

# Hand table: government landmarks and organisations in the news, only those that are
# canonical names of gazetteer.tsv (kind taken from it), with their names in the locales and
# inflected forms that are very common in news ("Białym Domu", "Белом доме"). Same sources and
# the same rule as PLACES. United Nations and European Union also get CLDR's names.
BODIES = [
    ("White House", {
        "es": "Casa Blanca", "fr": "Maison-Blanche|Maison Blanche",
        "de": "Weißes Haus|Weißen Haus|Weißen Hauses", "it": "Casa Bianca",
        "pt": "Casa Branca", "ru": "Белый дом|Белого дома|Белом доме",
        "uk": "Білий дім|Білого дому|Білому домі", "pl": "Biały Dom|Białego Domu|Białym Domu",
        "nl": "Witte Huis", "tr": "Beyaz Saray", "ar": "البيت الأبيض", "fa": "کاخ سفید",
        "he": "הבית הלבן", "el": "Λευκός Οίκος|Λευκό Οίκο|Λευκού Οίκου", "zh": "白宫",
        "zh-Hant": "白宮", "ja": "ホワイトハウス", "ko": "백악관", "hi": "व्हाइट हाउस",
        "bn": "হোয়াইট হাউস", "id": "Gedung Putih", "ms": "Rumah Putih", "sv": "Vita huset",
        "ro": "Casa Albă", "cs": "Bílý dům|Bílého domu|Bílém domě", "hu": "Fehér Ház",
        "bg": "Белия дом|Белият дом", "sr-Cyrl": "Бела кућа|Беле куће|Белој кући",
        "hr": "Bijela kuća|Bijele kuće|Bijeloj kući", "vi": "Nhà Trắng", "th": "ทำเนียบขาว",
        "ur": "وائٹ ہاؤس", "da": "Det Hvide Hus", "fi": "Valkoinen talo|Valkoisen talon",
        "nb": "Det hvite hus"}),
    ("Kremlin", {
        "de": "Kreml", "ru": "Кремль|Кремля|Кремле", "uk": "Кремль|Кремля|Кремлі",
        "pl": "Kreml|Kremla|Kremlu", "ar": "الكرملين", "fa": "کرملین", "he": "הקרמלין",
        "el": "Κρεμλίνο", "zh": "克里姆林宫", "zh-Hant": "克里姆林宮", "ja": "クレムリン",
        "ko": "크렘린", "hi": "क्रेमलिन", "bg": "Кремъл", "sr-Cyrl": "Кремљ", "hr": "Kremlj",
        "vi": "Điện Kremlin"}),
    ("Pentagon", {
        "es": "Pentágono", "fr": "Pentagone", "it": "Pentagono", "pt": "Pentágono",
        "ru": "Пентагон", "uk": "Пентагон", "ar": "البنتاغون", "fa": "پنتاگون",
        "he": "הפנטגון", "zh": "五角大楼", "zh-Hant": "五角大樓", "ja": "ペンタゴン",
        "bg": "Пентагон", "sr-Cyrl": "Пентагон"}),
    ("NATO", {
        "es": "OTAN|Organización del Tratado del Atlántico Norte",
        "fr": "OTAN|Organisation du traité de l'Atlantique nord", "pt": "OTAN",
        "ru": "НАТО|Организация Североатлантического договора", "uk": "НАТО",
        "ar": "الناتو|حلف الناتو|حلف شمال الأطلسي", "fa": "ناتو", "el": "ΝΑΤΟ",
        "zh": "北约|北大西洋公约组织", "zh-Hant": "北約", "ja": "北大西洋条約機構",
        "ko": "나토|북대서양조약기구", "hi": "नाटो", "bg": "НАТО", "sr-Cyrl": "НАТО",
        "ur": "نیٹو"}),
    ("United Nations", {
        "es": "ONU", "fr": "ONU", "de": "UNO", "it": "ONU", "pt": "ONU", "ru": "ООН",
        "uk": "ООН", "pl": "ONZ", "ar": "الأمم المتحدة", "fa": "سازمان ملل",
        "el": "ΟΗΕ", "zh": "联合国", "ja": "国連|国際連合", "ko": "유엔|국제연합",
        "id": "PBB", "ms": "PBB", "ro": "ONU", "cs": "OSN", "hu": "ENSZ", "bg": "ООН",
        "sr-Cyrl": "УН"}),
    ("UN Security Council", {
        "es": "Consejo de Seguridad de la ONU|Consejo de Seguridad",
        "fr": "Conseil de sécurité de l'ONU|Conseil de sécurité",
        "de": "UN-Sicherheitsrat|Sicherheitsrat",
        "it": "Consiglio di sicurezza dell'ONU|Consiglio di sicurezza",
        "pt": "Conselho de Segurança da ONU|Conselho de Segurança",
        "ru": "Совет Безопасности ООН|Совбез ООН|СБ ООН", "uk": "Рада Безпеки ООН|Радбез ООН",
        "pl": "Rada Bezpieczeństwa ONZ", "nl": "VN-Veiligheidsraad|Veiligheidsraad",
        "tr": "BM Güvenlik Konseyi", "ar": "مجلس الأمن الدولي|مجلس الأمن",
        "fa": "شورای امنیت سازمان ملل|شورای امنیت", "he": "מועצת הביטחון",
        "el": "Συμβούλιο Ασφαλείας", "zh": "联合国安理会|联合国安全理事会|安理会",
        "zh-Hant": "安理會", "ja": "国連安全保障理事会|安保理",
        "ko": "유엔 안전보장이사회|안보리", "sv": "Säkerhetsrådet"}),
    ("IAEA", {
        "es": "OIEA|Organismo Internacional de Energía Atómica",
        "fr": "AIEA|Agence internationale de l'énergie atomique",
        "de": "IAEO|Internationale Atomenergiebehörde", "it": "AIEA", "pt": "AIEA",
        "ru": "МАГАТЭ|Международное агентство по атомной энергии", "uk": "МАГАТЕ",
        "pl": "MAEA", "tr": "UAEA", "ar": "الوكالة الدولية للطاقة الذرية",
        "fa": "آژانس بین‌المللی انرژی اتمی", "zh": "国际原子能机构", "ja": "国際原子力機関",
        "ko": "국제원자력기구"}),
    ("International Monetary Fund", {
        "es": "FMI|Fondo Monetario Internacional", "fr": "FMI|Fonds monétaire international",
        "de": "IWF|Internationaler Währungsfonds", "it": "FMI|Fondo monetario internazionale",
        "pt": "FMI|Fundo Monetário Internacional", "ru": "МВФ|Международный валютный фонд",
        "uk": "МВФ|Міжнародний валютний фонд", "pl": "MFW", "ar": "صندوق النقد الدولي",
        "fa": "صندوق بین‌المللی پول", "he": "קרן המטבע הבינלאומית", "zh": "国际货币基金组织",
        "ja": "国際通貨基金", "ko": "국제통화기금", "bg": "МВФ"}),
    ("World Bank", {
        "es": "Banco Mundial", "fr": "Banque mondiale", "de": "Weltbank",
        "it": "Banca Mondiale", "pt": "Banco Mundial", "ru": "Всемирный банк",
        "uk": "Світовий банк", "pl": "Bank Światowy", "nl": "Wereldbank",
        "tr": "Dünya Bankası", "ar": "البنك الدولي", "fa": "بانک جهانی", "he": "הבנק העולמי",
        "el": "Παγκόσμια Τράπεζα", "zh": "世界银行", "zh-Hant": "世界銀行", "ja": "世界銀行",
        "ko": "세계은행", "id": "Bank Dunia", "sv": "Världsbanken", "ro": "Banca Mondială",
        "cs": "Světová banka", "hu": "Világbank", "vi": "Ngân hàng Thế giới",
        "da": "Verdensbanken", "fi": "Maailmanpankki", "nb": "Verdensbanken"}),
    ("World Health Organization", {
        "es": "OMS|Organización Mundial de la Salud",
        "fr": "OMS|Organisation mondiale de la santé", "de": "Weltgesundheitsorganisation",
        "it": "OMS|Organizzazione mondiale della sanità",
        "pt": "OMS|Organização Mundial da Saúde",
        "ru": "ВОЗ|Всемирная организация здравоохранения", "uk": "ВООЗ",
        "pl": "Światowa Organizacja Zdrowia", "tr": "Dünya Sağlık Örgütü",
        "ar": "منظمة الصحة العالمية", "fa": "سازمان جهانی بهداشت", "he": "ארגון הבריאות העולמי",
        "zh": "世界卫生组织|世卫组织", "ja": "世界保健機関", "ko": "세계보건기구"}),
    ("Red Cross", {
        "es": "Cruz Roja|CICR", "fr": "Croix-Rouge|CICR", "de": "Rotes Kreuz|Roten Kreuz|IKRK",
        "it": "Croce Rossa", "pt": "Cruz Vermelha", "ru": "Красный Крест|Красного Креста|МККК",
        "uk": "Червоний Хрест", "pl": "Czerwony Krzyż", "nl": "Rode Kruis", "tr": "Kızılhaç",
        "ar": "الصليب الأحمر", "fa": "صلیب سرخ", "he": "הצלב האדום", "zh": "红十字会",
        "ja": "赤十字", "ko": "적십자"}),
    ("Hamas", {
        "es": "Hamás", "ru": "ХАМАС|Хамас", "uk": "ХАМАС", "ar": "حماس", "he": "חמאס",
        "el": "Χαμάς", "zh": "哈马斯", "ja": "ハマス", "ko": "하마스", "hi": "हमास"}),
    ("Hezbollah", {
        "es": "Hezbolá", "de": "Hisbollah", "ru": "Хезболла", "uk": "Хезболла",
        "tr": "Hizbullah", "ar": "حزب الله", "fa": "حزب‌الله", "he": "חיזבאללה",
        "el": "Χεζμπολάχ", "zh": "真主党", "ja": "ヒズボラ", "ko": "헤즈볼라"}),
    ("Taliban", {
        "pl": "Talibowie", "ru": "Талибан", "uk": "Талібан", "ar": "طالبان", "he": "טליבאן",
        "zh": "塔利班", "ja": "タリバン", "ko": "탈레반", "hi": "तालिबान"}),
    ("European Union", {
        "es": "UE", "fr": "UE", "it": "UE", "pt": "UE", "ru": "ЕС", "uk": "ЄС", "pl": "UE",
        "el": "ΕΕ", "zh": "欧盟", "zh-Hant": "歐盟", "ja": "欧州連合", "ko": "유럽연합",
        "ro": "UE", "bg": "ЕС", "sr-Cyrl": "ЕУ"}),
]

# Hand list: CLDR forms left out because in the news they are mostly another word or another
# name (checked by reading every form of 3 letters or fewer in the output, not the rest).
EXCLUDE = {
    "GB": "gigabyte",
    "VK": "the VKontakte network",
    "DRK": "German Red Cross (Deutsches Rotes Kreuz)",
    "УК": "Russian Criminal Code (Уголовный кодекс)",
    "الجزیره": "Al Jazeera / island in Arabic (الجزيرة)",
    "کیف": "Persian for bag, pleasure",
    "شام": "Urdu and Persian for evening, dinner; Arabic the Levant",
    "لوم": "Arabic for blame",
    "סרק": "Hebrew for scanned, idle",
    "עדן": "Hebrew Eden, a common name",
    "सार्क": "SAARC in Hindi",
    "जर्सी": "jersey (shirt)",
    "জার্সি": "jersey (shirt)",
    "माली": "Hindi for gardener",
    "गिनी": "Hindi for counted",
    "수단": "Korean for means, method",
    "가자": "Korean for let's go",
    "가나": "Korean verb ending (does ... go?)",
    "저지": "Korean for blocking, prevention",
    "오만": "Korean for arrogance",
    "万象": "Chinese for all things (包罗万象)",
}

# ---------------------------------------------------------------------------------------------
# Forms as gazetteer.rs compares them (approximately).

_ARABIC = {
    "\u064a": "\u064a", "\u06cc": "\u064a", "\u0649": "\u064a", "\u0626": "\u064a",
    "\u0643": "\u0643", "\u06a9": "\u0643",
    "\u0622": "\u0627", "\u0623": "\u0627", "\u0625": "\u0627", "\u0671": "\u0627",
    "\u0629": "\u0647", "\u06c0": "\u0647", "\u06c1": "\u0647", "\u0624": "\u0648",
}
_LATIN_SPECIAL = {
    "ß": "ss", "æ": "ae", "ø": "o", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th",
    "ı": "i", "ŀ": "l", "ħ": "h", "ŧ": "t", "ŋ": "n", "ſ": "s",
}


def _dropped_mark(c):
    o = ord(c)
    return (o == 0x640 or 0x64B <= o <= 0x65F or o == 0x670 or 0x591 <= o <= 0x5C7
            or o in (0x200C, 0x200D))


def _is_cjk(c):
    o = ord(c)
    return (0x3400 <= o <= 0x4DBF or 0x4E00 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF
            or 0x20000 <= o <= 0x3FFFF or 0x3040 <= o <= 0x30FF or 0x31F0 <= o <= 0x31FF
            or 0xAC00 <= o <= 0xD7AF or 0x1100 <= o <= 0x11FF or 0x3130 <= o <= 0x318F)


def _fold_latin(word):
    out = []
    for c in word:
        if c in _LATIN_SPECIAL:
            out.append(_LATIN_SPECIAL[c])
        elif "LATIN" in unicodedata.name(c, ""):
            out.append("".join(d for d in unicodedata.normalize("NFD", c)
                               if not unicodedata.combining(d)))
        elif unicodedata.combining(c) and out and out[-1].isascii():
            continue  # a combining accent left on a Latin letter
        else:
            out.append(c)
    return "".join(out)


def norm_key(text):
    """The form's words as the exact analyzer cuts them, joined by spaces (approximately)."""
    chars = []
    for c in unicodedata.normalize("NFKC", text).lower():
        if c == "\u0307" and chars and chars[-1] in "ij":
            continue
        if _dropped_mark(c):
            continue
        chars.append(_ARABIC.get(c, c))
    words, cur, cur_cjk = [], [], False
    for c in chars:
        cjk = _is_cjk(c)
        inside = cjk or c.isalnum() or unicodedata.category(c).startswith("M")
        if inside and cur and cjk == cur_cjk:
            cur.append(c)
            continue
        if cur:
            words.append("".join(cur))
        cur, cur_cjk = ([c], cjk) if inside else ([], False)
    if cur:
        words.append("".join(cur))
    return " ".join(_fold_latin(w) for w in words)


def is_latin(text):
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all("LATIN" in unicodedata.name(c, "") for c in letters)


# ---------------------------------------------------------------------------------------------
# Inputs.

def read_existing(path):
    """gazetteer.tsv: lines as (kind, canonical, forms), key → (kind, canonical), person keys."""
    lines, by_key, persons = [], {}, set()
    for raw in path.read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        cols = [c.strip() for c in raw.split("\t") if c.strip()]
        kind, canonical, forms = cols[0], cols[1], cols[1:]
        lines.append((kind, canonical, forms))
        if kind == "demonym":
            continue
        for f in forms:
            key = norm_key(f)
            by_key[key] = (kind, canonical)  # a later line wins, as in gazetteer.rs
            if kind == "person":
                persons.add(key)
    return lines, by_key, persons


def read_words(path):
    words = set()
    for raw in path.read_text(encoding="utf-8").splitlines():
        if raw.startswith("#"):
            continue
        words.update(norm_key(w) for w in raw.split())
    return words


def package(root, name):
    folder = root / name
    meta = folder / "package.json"
    if not meta.is_file():
        sys.exit(f"gazetteer_world: no {meta}; unpack the npm package there (see the docstring)")
    version = json.loads(meta.read_text(encoding="utf-8"))["version"]
    if version != VERSION:
        print(f"gazetteer_world: warning: {name} is {version}, the docstring says {VERSION}",
              file=sys.stderr)
    return folder, version


def territories(folder, locale):
    data = json.loads((folder / "main" / locale / "territories.json").read_text("utf-8"))
    return data["main"][locale]["localeDisplayNames"]["territories"]


def zones(folder, locale):
    data = json.loads((folder / "main" / locale / "timeZoneNames.json").read_text("utf-8"))
    out = {}

    def walk(node, path):
        for k, v in node.items():
            if not isinstance(v, dict):
                continue
            if v.get("_type") == "zone":
                out["/".join(path + [k])] = v.get("exemplarCity")
            else:
                walk(v, path + [k])

    walk(data["main"][locale]["dates"]["timeZoneNames"]["zone"], [])
    return out


PLACEHOLDER = re.compile(r"[A-Z]{2}-(alt-)?[a-z]+")
PAREN = re.compile(r"\s*[(（]([^)）]*)[)）]\s*")


def expand(code, name):
    """A CLDR name as forms: without its parenthesis, and the inside where it is a name."""
    m = PAREN.search(name)
    if not m:
        return [name.strip()]
    outer = PAREN.sub(" ", name).strip()
    outer = re.sub(r"\s+", " ", outer)
    inner = m.group(1).strip()
    forms = [outer]
    letters = [c for c in inner if c.isalpha()]
    if code in INNER_IS_NAME:
        forms.append(inner)
    elif code in INNER_ACRONYM and len(letters) >= 3 and all(c.isupper() for c in letters) \
            and " " not in inner:
        forms.append(inner)
    return forms


# ---------------------------------------------------------------------------------------------

class Line:
    def __init__(self, kind, canonical, origin):
        self.kind, self.canonical, self.origin = kind, canonical, origin
        self.candidates = []  # (locale index, source rank, form)

    def add(self, locale, rank, form):
        form = form.strip()
        if form:
            self.candidates.append((LOCALES.index(locale), rank, len(self.candidates), form))


def build(root, repo):
    ln_dir, ln_version = package(root, PACKAGES[0])
    dt_dir, dt_version = package(root, PACKAGES[1])
    existing_lines, existing, persons = read_existing(repo / "src/entities/gazetteer.tsv")
    common = read_words(repo / "src/common_words.txt")
    function = read_words(repo / "src/entities/function_words.txt")
    report = []

    existing_kind = {c: k for k, c, _ in existing_lines if k != "demonym"}
    # key → canonicals of existing lines (kind place or org) with that form
    existing_canon_by_key = defaultdict(set)
    for kind, canonical, forms in existing_lines:
        if kind in ("place", "org"):
            for f in forms:
                existing_canon_by_key[(kind, norm_key(f))].add(canonical)

    # --- Territories ---
    names = {loc: territories(ln_dir, loc) for loc in LOCALES}
    codes = sorted(k for k in names["en"] if len(k) == 2 and k.isalpha() and k.isupper()
                   and k not in SKIP_CODES)

    def cldr_forms(loc, code):
        t = names[loc]
        keys = [code] + sorted(k for k in t if k.startswith(code + "-alt-"))
        out = []
        for k in keys:
            # An untranslated alt form prints its own key ("TR-variant"): not a name.
            if k in t and not PLACEHOLDER.fullmatch(t[k]):
                out.extend(expand(code, t[k]))
        return out

    en_keys = {}
    matches = {}
    for code in codes:
        kind = "org" if code in ORG_CODES else "place"
        keys = set()
        for f in cldr_forms("en", code):
            keys.add(norm_key(f))
            keys.add(norm_key(f.replace("&", "and")))
        en_keys[code] = keys
        found = set()
        for key in keys:
            found |= existing_canon_by_key.get((kind, key), set())
        matches[code] = found
    claims = Counter(c for found in matches.values() for c in found)

    lines = {}
    territory_of_key = {}
    for code in codes:
        kind = "org" if code in ORG_CODES else "place"
        found = matches[code]
        if len(found) == 1 and claims[next(iter(found))] == 1:
            canonical = next(iter(found))
        else:
            canonical = expand(code, names["en"][code])[0]
            if found:
                report.append(f"canonical: {code} matches {sorted(found)} of gazetteer.tsv, "
                              f"shared with another territory or ambiguous; "
                              f"uses {canonical!r}")
        line = Line(kind, canonical, "territory")
        lines[canonical] = line
        for loc in LOCALES:
            for f in cldr_forms(loc, code):
                line.add(loc, 0, f)
        if kind == "place":
            for key in en_keys[code]:
                territory_of_key[key] = canonical

    # --- Time-zone cities ---
    zone_names = {loc: zones(dt_dir, loc) for loc in LOCALES}
    zone_ids = sorted(set().union(*zone_names.values()) - {"Etc/Unknown", "Etc/UTC"})
    merged = city_zones = 0
    for zid in zone_ids:
        en_name = zone_names["en"].get(zid) or zid.split("/")[-1].replace("_", " ")
        key = norm_key(en_name)
        if key in territory_of_key:
            line = lines[territory_of_key[key]]
            merged += 1
        else:
            hit = existing.get(key)
            if hit and hit[0] == "place":
                canonical = hit[1]
            elif zid in CAPITAL_ZONES:
                canonical = en_name
            else:
                continue
            line = lines.get(canonical)
            if line is None:
                line = lines[canonical] = Line("place", canonical, "city")
            city_zones += 1
        line.add("en", 1, en_name)
        for loc in LOCALES[1:]:
            name = zone_names[loc].get(zid)
            if name:
                line.add(loc, 1, name)
    missing_capitals = sorted(CAPITAL_ZONES - set(zone_ids))
    if missing_capitals:
        report.append(f"capital zones not in CLDR: {missing_capitals}")

    # --- Hand tables ---
    for table, origin in ((PLACES, "city"), (BODIES, "body")):
        for canonical, per_locale in table:
            if origin == "body":
                if canonical not in existing_kind:
                    report.append(f"hand table: {canonical!r} is not a canonical name of "
                                  f"gazetteer.tsv; left out")
                    continue
                kind = existing_kind[canonical]
            else:
                kind = "place"
                if existing_kind.get(canonical, "place") != "place":
                    report.append(f"hand table: {canonical!r} is not a place in gazetteer.tsv")
                    continue
            line = lines.get(canonical)
            if line is None:
                line = lines[canonical] = Line(kind, canonical, origin)
            elif line.kind != kind:
                report.append(f"hand table: {canonical!r} kind {kind} vs {line.kind}")
                continue
            for loc in LOCALES:
                for f in per_locale.get(loc, "").split("|"):
                    line.add(loc, 2, f)
            unknown = set(per_locale) - set(LOCALES)
            if unknown:
                sys.exit(f"gazetteer_world: unknown locales {unknown} in {canonical}")

    # --- Filters ---
    drops = Counter()
    kept = {}  # canonical → [(locale, form, key)]
    for canonical, line in lines.items():
        ckey = norm_key(canonical)
        seen = {ckey}
        out = []
        for li, _, _, form in sorted(line.candidates):
            key = norm_key(form)
            if not key or key in seen:
                continue
            seen.add(key)
            letters = [c for c in form if c.isalpha()]
            reason = None
            if is_latin(form) and len(letters) <= 3 and not all(c.isupper() for c in letters):
                reason = "short Latin form, not all capitals"
            elif key in common:
                reason = "English common word"
            elif key in function:
                reason = "function word"
            elif key in persons:
                reason = "a person's name in gazetteer.tsv"
            elif key in existing and existing[key][1] != canonical:
                reason = "another canonical name's form in gazetteer.tsv"
            elif form in EXCLUDE:
                reason = "hand exclusion (EXCLUDE): " + EXCLUDE[form]
            if reason:
                drops[reason.split(":")[0]] += 1
                what = f" ({existing[key][1]!r})" if key in existing else ""
                report.append(f"dropped: {form!r} ({LOCALES[li]}) of {canonical!r}: "
                              f"{reason}{what}")
                continue
            out.append((LOCALES[li], form, key))
        kept[canonical] = out

    owners = defaultdict(set)
    for canonical, out in kept.items():
        owners[norm_key(canonical)].add(canonical)
        for _, _, key in out:
            owners[key].add(canonical)
    for canonical, out in kept.items():
        keep = []
        for loc, form, key in out:
            others = owners[key] - {canonical}
            if not others:
                keep.append((loc, form, key))
                continue
            countries = {c for c in owners[key] if lines[c].origin == "territory"}
            if lines[canonical].origin == "city" and len(countries) == 1 \
                    and len(owners[key]) == 2:
                drops["a city's form that is also a country's (kept for the country)"] += 1
                report.append(f"city=country: {form!r} ({loc}) kept for "
                              f"{next(iter(countries))!r}, not for {canonical!r}")
                continue
            if lines[canonical].origin == "territory" and len(owners[key]) == 2 and all(
                    lines[c].origin == "city" for c in others):
                keep.append((loc, form, key))
                continue
            drops["shared by two canonical names"] += 1
            report.append(f"collision: {form!r} ({loc}) of {canonical!r} also "
                          f"{sorted(others)}; dropped")
        kept[canonical] = keep
    for key, owner in owners.items():
        for canonical in owner:
            if norm_key(canonical) == key and len(owner) > 1:
                report.append(f"canonical {canonical!r} is a form of {sorted(owner)}")

    return lines, kept, drops, report, ln_version, dt_version


HEADER = """\
# byline's world gazetteer: countries and territories, capitals and major cities, government
# landmarks and international organisations, under their names in {n} languages, in the format
# of gazetteer.tsv (kind, canonical name, other forms; tab-separated). Generated by
# src/entities/gazetteer_world.py; do not edit by hand, change the script and run it again
# (its docstring says how).
#
# Source: Unicode CLDR {cldr} (JSON, npm packages cldr-localenames-full@{ln} for territory
# names and cldr-dates-full@{dt} for time-zone exemplar cities), license Unicode-3.0
# (Unicode License v3, https://www.unicode.org/license.txt), Copyright (c) Unicode, Inc.
# Locales, in the order of each line's forms: {locales}
# (zh Simplified Chinese, zh-Hant Traditional, sr-Cyrl Serbian in Cyrillic, nb Norwegian).
#
# Rules:
# - Territories: every two-letter CLDR region code except EZ, QO (groupings), XA, XB, ZZ;
#   UN (United Nations) and EU (European Union) as org. Forms: each locale's full name and
#   its alt forms (short, variant, ...; not an untranslated "TR-variant"); a parenthesis is
#   removed and what it holds kept as a form only where it is another name of the place (Burma, Malvinas, Aotearoa) or an
#   acronym for DR Congo (DRC, RDC).
# - Canonical name: gazetteer.tsv's for the same place or organisation where an English CLDR
#   form matches one of its forms (Czechia -> Czech Republic, Turkiye -> Turkey); else the
#   CLDR English name without its parenthesis. Congo matches both Congos: neither takes it.
# - Cities: time zones whose English exemplar city is a place of gazetteer.tsv or a national
#   capital (a hand list of zone IDs in the script), with CLDR's exemplar city in each
#   locale; a zone named like its country (Kuwait, Singapore, Hong Kong, Vatican) adds its
#   names to the country's line.
# - Hand-written: the tables PLACES (capitals and cities that are not time zones: Washington,
#   New Delhi, Beijing, Munich, Geneva, Kharkiv, ...; regions and seas: Crimea, Gaza Strip,
#   Middle East, Strait of Hormuz, ...) and BODIES (White
#   House, Kremlin, Pentagon, NATO, UN, UN Security Council, IAEA, IMF, World Bank, WHO, Red
#   Cross, Hamas, Hezbollah, Taliban, EU; only canonical names of gazetteer.tsv, with its
#   kind) are compiled by hand from the titles of the Wikipedia articles in each language,
#   plus a few inflected forms very common in news (Białym Domu, Белом доме, Weißen Haus,
#   Λευκό Οίκο); a language is left out of a row rather than guessed. Together with the list
#   of capital zones and the exclusions below they are the only hand-written parts; every
#   other name is CLDR's.
# - Forms are compared as the gazetteer compares them (lower case, accents folded, words);
#   one printed spelling per compared form, the first in locale order, as CLDR prints it.
# - Dropped: Latin-script forms of 3 letters or fewer unless all capitals; forms equal to an
#   English common word (src/common_words.txt: "US" is left to gazetteer.tsv) or a function
#   word (src/entities/function_words.txt); a person's form in gazetteer.tsv; a form that
#   gazetteer.tsv gives another canonical name; a form two lines here would share (a city's
#   form that is also its country's name stays with the country, Arabic تونس -> Tunisia);
#   and a hand list of CLDR forms that in the news mostly mean another word or name (Korean
#   수단 "means" for Sudan, GB "gigabyte", УК "Criminal Code"), found by reading every form of
#   3 letters or fewer; the list and its reasons are in the script.
# - Sorted by kind, then canonical name.
#
# {lines} lines, {forms} forms.
"""


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("cldr_dir", type=Path,
                    help="folder holding the unpacked cldr-localenames-full/ and cldr-dates-full/")
    repo = Path(__file__).resolve().parents[2]
    ap.add_argument("--out", type=Path, default=repo / "src/entities/gazetteer_world.tsv")
    args = ap.parse_args()

    lines, kept, drops, report, ln_version, dt_version = build(args.cldr_dir, repo)
    order = sorted(lines.values(), key=lambda l: (l.kind, l.canonical))
    rows, per_locale = [], Counter()
    for line in order:
        forms = kept[line.canonical]
        for loc, _, _ in forms:
            per_locale[loc] += 1
        rows.append("\t".join([line.kind, line.canonical] + [f for _, f, _ in forms]))
    n_forms = sum(per_locale.values())
    header = HEADER.format(n=len(LOCALES), cldr=ln_version.split(".")[0], ln=ln_version,
                           dt=dt_version, locales=" ".join(LOCALES), lines=len(rows),
                           forms=n_forms)
    args.out.write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")

    for r in report:
        print(r, file=sys.stderr)
    kinds = Counter(l.kind for l in order)
    print(f"\nwrote {args.out}: {len(rows)} lines "
          f"({', '.join(f'{k} {n}' for k, n in sorted(kinds.items()))}), {n_forms} forms "
          f"besides the canonical names", file=sys.stderr)
    print("forms per locale (first locale to give a form): "
          + " ".join(f"{loc} {per_locale[loc]}" for loc in LOCALES), file=sys.stderr)
    print("dropped forms by reason:", file=sys.stderr)
    for reason, n in drops.most_common():
        print(f"  {n:5d}  {reason}", file=sys.stderr)


if __name__ == "__main__":
    main()
