"""Captions and alt text of the demo photos in each edition's language."""

from collections import Counter

from broadsheet.mediabank.models import Photo, PhotoTranslation

# The demo photos' places and the caption and alt text each edition gets
# (mediabank.PhotoTranslation), so an edition's readers read captions in
# their language, as an agency's photo desk would file them.
PLACES = {
    "Valdoria": {"ru": "Вальдория", "es": "Valdoria", "ar": "فالدوريا"},
    "Port Meren": {"ru": "Порт-Мерен", "es": "Port Meren", "ar": "بورت ميرين"},
    "Norvik": {"ru": "Норвик", "es": "Norvik", "ar": "نورفيك"},
    "Almara": {"ru": "Алмара", "es": "Almara", "ar": "ألمارا"},
    "Brisa": {"ru": "Бриза", "es": "Brisa", "ar": "بريزا"},
    "Tessin Bay": {"ru": "залив Тессин", "es": "bahía de Tessin", "ar": "خليج تيسين"},
}
PHOTO_WORDS = {
    "ru": ("{place}: холмы на закате, вид с окраины.", "Пейзаж: {place}, холмы и низкое солнце"),
    "es": (
        "{place}: las colinas al atardecer, vistas desde las afueras.",
        "Paisaje de {place} con colinas y el sol bajo",
    ),
    "ar": (
        "{place}: التلال عند الغروب كما تبدو من الأطراف.",
        "منظر طبيعي في {place} مع تلال وشمس منخفضة",
    ),
}


def photo_captions_build(*, languages: list[str], made: Counter) -> None:
    photos = Photo.objects.filter(title__startswith="Demo photo").exclude(place="")
    have = set(PhotoTranslation.objects.values_list("photo_id", "language"))
    rows = []
    for photo in photos:
        for language in languages:
            words = PHOTO_WORDS.get(language)
            place = PLACES.get(photo.place, {}).get(language)
            if words is None or place is None or (photo.pk, language) in have:
                continue
            caption, alt_text = (template.format(place=place) for template in words)
            rows.append(
                PhotoTranslation(photo=photo, language=language, caption=caption, alt_text=alt_text)
            )
    PhotoTranslation.objects.bulk_create(rows)
    made["photo caption"] += len(rows)
