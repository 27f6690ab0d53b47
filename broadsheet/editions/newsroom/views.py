"""wagtail-localize's views where the newsroom needs more than it does:
machine translation that fails says why (never a 500) and keeps every
segment; "Sync translated pages" publishes only where the editor may publish
and the story passes the publishing checks. Registered ahead of
wagtail-localize's own URLs (wagtail_hooks.py), same addresses and names."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin.views.pages.utils import get_valid_next_url_from_request
from wagtail.models import Page
from wagtail_localize.machine_translators import get_machine_translator
from wagtail_localize.models import Translation
from wagtail_localize.views.edit_translation import apply_machine_translation
from wagtail_localize.views.update_translations import UpdateTranslationsView

from broadsheet.editions.machine import NOT_CONFIGURED, MachineTranslationError
from broadsheet.editions.translation import translation_publish_problems


@require_POST
def machine_translate(request, translation_id: int):
    next_url = get_valid_next_url_from_request(request) or reverse("wagtailadmin_home")
    translator = get_machine_translator()
    if translator is None:
        messages.warning(request, _(NOT_CONFIGURED))
        return redirect(next_url)
    try:
        # One transaction: a failure part-way stores no half of the segments.
        with transaction.atomic():
            done = apply_machine_translation(translation_id, request.user, translator)
    except MachineTranslationError as error:
        messages.error(request, str(error))
        return redirect(next_url)
    if done:
        messages.success(
            request,
            _("Translated with %(engine)s: check every segment before publishing.")
            % {"engine": translator.display_name},
        )
    else:
        messages.warning(request, _("There isn't anything left to translate."))
    return redirect(next_url)


def _publish_refusals(user, translations) -> list[str]:
    refusals = []
    for translation in translations:
        target = translation.get_target_instance()
        if isinstance(target, Page) and not target.permissions_for_user(user).can_publish():
            refusals.append(
                _("You cannot publish in the %(edition)s edition.")
                % {"edition": translation.target_locale.get_display_name()}
            )
            continue
        refusals += translation_publish_problems(translation=translation)
    return refusals


class UpdateTranslationsGuardedView(UpdateTranslationsView):
    def form_valid(self, form):
        enabled = list(
            self.object.translations.filter(enabled=True).select_related("target_locale")
        )
        if form.cleaned_data.get("publish_translations"):
            refusals = _publish_refusals(self.request.user, enabled)
            if refusals:
                for refusal in dict.fromkeys(refusals):
                    messages.error(self.request, refusal)
                messages.error(
                    self.request,
                    _(
                        "Nothing was synced or published. "
                        "Sync without publishing, or fix the above."
                    ),
                )
                return self.render_to_response(self.get_context_data())
        try:
            return super().form_valid(form)
        except MachineTranslationError as error:
            # form_valid is atomic: the sync itself rolled back too.
            messages.error(self.request, str(error))
            return self.render_to_response(self.get_context_data())


def translation_publish_guard(request, page):
    """before_edit_page: wagtail-localize's editor publishes a translation
    without the page form; refuse as the form would (photos' alt text in the
    edition's language, withdrawn or expired photos)."""
    if request.method != "POST" or request.POST.get("action") != "publish":
        return None
    translation = (
        Translation.objects.filter(
            source__object_id=page.translation_key, target_locale_id=page.locale_id, enabled=True
        )
        .select_related("source", "target_locale")
        .first()
    )
    if translation is None:
        return None
    if not page.permissions_for_user(request.user).can_publish():
        raise PermissionDenied
    problems = translation_publish_problems(translation=translation)
    if not problems:
        return None
    for problem in problems:
        messages.error(request, problem)
    return redirect(request.path)
