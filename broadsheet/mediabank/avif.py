"""AVIF encoding speed.

libavif's default speed (6) took ~580 ms for one 1280×720 rendition here;
speed 8 took ~230 ms for a file 3% larger. Wagtail and Willow pass only the
quality to Pillow, so the speed is set where Pillow looks it up: the AVIF
save handler's `encoderinfo` (https://pillow.readthedocs.io/en/stable/handbook/image-file-formats.html#avif).
"""

from django.conf import settings
from PIL import AvifImagePlugin, Image


def avif_speed_install() -> None:
    speed = settings.BROADSHEET_AVIF_SPEED
    original = AvifImagePlugin._save

    def save(im, fp, filename, save_all=False):
        im.encoderinfo.setdefault("speed", speed)
        return original(im, fp, filename, save_all=save_all)

    Image.register_save(AvifImagePlugin.AvifImageFile.format, save)
    Image.register_save_all(
        AvifImagePlugin.AvifImageFile.format,
        lambda im, fp, filename: save(im, fp, filename, save_all=True),
    )
