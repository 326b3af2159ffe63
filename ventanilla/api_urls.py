from rest_framework.routers import DefaultRouter

from ventanilla.cases.api import CaseViewSet, ReferralViewSet
from ventanilla.catalog.api import ServiceViewSet
from ventanilla.insights.api import FiguresViewSet
from ventanilla.outreach.api import SessionViewSet
from ventanilla.registry.api import ConsentViewSet, HouseholdViewSet, PersonViewSet, VisitViewSet
from ventanilla.vulnerability.api import IvlPersonViewSet
from ventanilla.vulnerability.api_aggregates import IvlAggregatesViewSet

router = DefaultRouter()
router.register("persons", PersonViewSet, basename="person")
router.register("households", HouseholdViewSet, basename="household")
router.register("visits", VisitViewSet, basename="visit")
router.register("consents", ConsentViewSet, basename="consent")
router.register("services", ServiceViewSet, basename="service")
router.register("cases", CaseViewSet, basename="case")
router.register("referrals", ReferralViewSet, basename="referral")
router.register("outreach-sessions", SessionViewSet, basename="outreach_session")
router.register("figures", FiguresViewSet, basename="figures")
router.register("ivl/aggregates", IvlAggregatesViewSet, basename="ivl_aggregates")
router.register("ivl/persons", IvlPersonViewSet, basename="ivl_person")

urlpatterns = router.urls
