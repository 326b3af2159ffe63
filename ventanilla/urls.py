from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from ventanilla.cases import views as cases_views
from ventanilla.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("work/", cases_views.my_work, name="my_work"),
    path("notifications/", cases_views.notifications, name="notifications"),
    path(
        "notifications/read-all/",
        cases_views.notifications_read_all,
        name="notifications_read_all",
    ),
    path(
        "notifications/<uuid:notification_uuid>/",
        cases_views.notification_open,
        name="notification_open",
    ),
    path("accounts/", include("ventanilla.accounts.urls")),
    path("registry/", include("ventanilla.registry.urls")),
    path("territory/", include("ventanilla.territory.urls")),
    path("privacy/", include("ventanilla.privacy.urls")),
    path("figures/", include("ventanilla.insights.urls")),
    path("catalog/", include("ventanilla.catalog.urls")),
    path("pathways/", include("ventanilla.pathways.urls")),
    path("ivl/", include("ventanilla.vulnerability.urls")),
    path("cases/", include("ventanilla.cases.urls")),
    path("referrals/", RedirectView.as_view(pattern_name="cases:referral_inbox")),
    path("outreach/", include("ventanilla.outreach.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("ventanilla.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api_schema"), name="api_docs"),
    path("admin/", admin.site.urls),
]
