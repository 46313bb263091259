"""Code lists used by validation (kept apart so model.py stays readable)."""

#: ISO 639-1 two-letter language codes.
ISO_639_1 = frozenset("""
aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv
dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig
ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh
mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru
rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug
uk ur uz ve vi vo wa wo xh yi yo za zh zu
""".split())

#: German names of the languages most often asked for (others show their code).
LANGUAGE_NAMES = {
    "de": "Deutsch", "en": "Englisch", "fr": "Französisch", "ar": "Arabisch", "tr": "Türkisch",
    "ru": "Russisch", "uk": "Ukrainisch", "pl": "Polnisch", "ro": "Rumänisch", "bg": "Bulgarisch",
    "fa": "Persisch (Farsi)", "ps": "Paschtu", "ku": "Kurdisch", "ti": "Tigrinya", "so": "Somali",
    "it": "Italienisch", "es": "Spanisch", "pt": "Portugiesisch", "lb": "Luxemburgisch", "nl": "Niederländisch",
    "sq": "Albanisch", "sr": "Serbisch", "hr": "Kroatisch", "bs": "Bosnisch", "el": "Griechisch",
    "hu": "Ungarisch", "vi": "Vietnamesisch", "zh": "Chinesisch", "ur": "Urdu", "hi": "Hindi",
    "am": "Amharisch", "ka": "Georgisch", "hy": "Armenisch", "sgn": "Gebärdensprache",
}

BARRIEREFREI = ("ja", "teilweise", "nein", "unbekannt")
EBENEN = ("lokal", "kreis", "ueberregional", "entscheidung")
EBENE_LABELS = {"lokal": "lokal", "kreis": "Kreisebene", "ueberregional": "überregional",
                "entscheidung": "Entscheidungsebene"}
JA_NEIN = ("ja", "nein")

#: Sectors of the intersectoral network (concept paper: youth welfare, school, health, police,
#: justice; plus civil society and other social counselling). Each category names its sector in
#: taxonomie.csv (column ``sektor``).
SEKTOREN = {"jugendhilfe": "Kinder- und Jugendhilfe", "schule": "Schule", "gesundheit": "Gesundheit",
            "polizei": "Polizei", "justiz": "Justiz", "zivilgesellschaft": "Vereine und Ehrenamt",
            "beratung": "Soziale Beratung"}
SONSTIGER_SEKTOR = "sonstige"
