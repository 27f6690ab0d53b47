from django.utils.functional import cached_property
from wagtail import hooks
from wagtail.admin.ui.components import Component

from .services import edge_purge_status


class EdgePurgePanel(Component):
    """On the dashboard while the edge refuses purges: readers may be served
    pages older than what was published. Nothing is shown while all is well.
    https://docs.wagtail.org/en/stable/reference/hooks.html#construct-homepage-panels"""

    name = "edge_purge"
    order = 10
    template_name = "edge/purge_panel.html"

    @cached_property
    def status(self) -> dict:
        return edge_purge_status()

    def render_html(self, parent_context=None):
        if self.status["failing_since"] is None:
            return ""
        return super().render_html(parent_context)

    def get_context_data(self, parent_context=None):
        return {"status": self.status}


@hooks.register("construct_homepage_panels")
def edge_purge_panel(request, panels):
    if request.user.is_superuser or request.user.has_perm("wagtailadmin.access_admin"):
        panels.append(EdgePurgePanel())
