from django.conf import settings
from django.core.management.base import BaseCommand

from broadsheet.editions.newsroom.demo import demo_edition_editors
from broadsheet.news.demo import DEMO_PASSWORDS


class Command(BaseCommand):
    help = "Print the site address and the demo newsroom's logins."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000")

    def handle(self, *args, url, **options):
        url = url.rstrip("/")
        self.stdout.write(
            "\n".join(
                [
                    "",
                    f"  Broadsheet is running on {url}/",
                    f"  Newsroom admin:  {url}/admin/",
                    f"    editor   / {DEMO_PASSWORDS['editor']}   (publishes in English)",
                    f"    reporter / {DEMO_PASSWORDS['reporter']} (writes in English)",
                    *(
                        f"    {user} / {password} (publishes in {edition})"
                        for user, password, edition in demo_edition_editors()
                    ),
                    f"    admin    / {DEMO_PASSWORDS['admin']}    (superuser)",
                    f"  Reader (comments): {url}/accounts/login/",
                    "    reader@broadsheet.localhost / "
                    f"{DEMO_PASSWORDS['reader@broadsheet.localhost']}",
                    *_mail_lines(),
                    "  Stop with Ctrl-C.",
                    "",
                ]
            )
        )


def _mail_lines() -> list[str]:
    if settings.EMAIL_BACKEND.endswith("filebased.EmailBackend") and settings.EMAIL_FILE_PATH:
        return [
            f"  E-mails the site sends (confirmations, newsletters): {settings.EMAIL_FILE_PATH}/"
        ]
    return []
