from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .admin_views import NewslettersGroup, SubscriberPermissionPolicy
from .models import Subscriber

register_permission_policy(Subscriber, SubscriberPermissionPolicy(Subscriber), exact_class=True)


@hooks.register("register_admin_viewset")
def register_newsletters_viewsets():
    return NewslettersGroup()
