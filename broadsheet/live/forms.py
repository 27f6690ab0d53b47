"""The posting desk's form. The text is a plain textarea (fast under
pressure, no editor to load): blank lines make paragraphs, addresses become
links, and the result is cleaned like every stored rich text."""

import re
from html import unescape

from django import forms
from django.utils.html import escape, urlize
from django.utils.translation import gettext_lazy as _
from wagtail.admin.widgets import AdminPageChooser
from wagtail.images.widgets import AdminImageChooser

from broadsheet.mediabank.models import Photo
from broadsheet.news.models import ArticlePage, AuthorPage

from .services import LIMITS


def text_to_html(text: str) -> str:
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n"))]
    return "".join(
        "<p>{}</p>".format(urlize(escape(p), autoescape=False).replace("\n", "<br>"))
        for p in paragraphs
        if p
    )


def html_to_text(html: str) -> str:
    """The stored post back as the desk's plain text, for editing."""
    text = re.sub(r"</p>\s*<p[^>]*>", "\n\n", html or "")
    text = re.sub(r"<br\s*/?>", "\n", text)
    return unescape(re.sub(r"<[^>]+>", "", text)).strip()


class LivePostForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=LIMITS["title"], required=False)
    body = forms.CharField(
        label=_("Text"),
        required=False,
        max_length=LIMITS["body"],
        widget=forms.Textarea(attrs={"rows": 6, "data-live-desk-body": ""}),
        help_text=_("A blank line starts a new paragraph. Ctrl+Enter posts."),
    )
    photo = forms.ModelChoiceField(
        label=_("Photo"), queryset=Photo.objects.all(), required=False, widget=AdminImageChooser
    )
    quote = forms.CharField(
        label=_("Quote"),
        max_length=LIMITS["quote"],
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    quote_attribution = forms.CharField(
        label=_("Quote by"), max_length=LIMITS["quote_attribution"], required=False
    )
    embed_url = forms.URLField(
        label=_("Embed address"),
        required=False,
        max_length=LIMITS["embed_url"],
        help_text=_("A YouTube or Vimeo address; readers load it on click."),
        assume_scheme="https",
    )
    related_story = forms.ModelChoiceField(
        label=_("Related story"),
        queryset=ArticlePage.objects.all(),
        required=False,
        widget=AdminPageChooser(target_models=[ArticlePage]),
    )
    authors = forms.ModelMultipleChoiceField(
        label=_("Authors"),
        queryset=AuthorPage.objects.live().order_by("title"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean_body(self):
        return text_to_html(self.cleaned_data["body"])

    @classmethod
    def initial_for(cls, post) -> dict:
        return {
            "title": post.title,
            "body": html_to_text(post.body),
            "photo": post.photo,
            "quote": post.quote,
            "quote_attribution": post.quote_attribution,
            "embed_url": post.embed_url,
            "related_story": post.related_story,
            "authors": list(post.authors.all()),
        }
