from wagtail import hooks

from .admin import EditionViewSet


@hooks.register("register_admin_viewset")
def register_edition_viewset():
    return EditionViewSet("editions")
